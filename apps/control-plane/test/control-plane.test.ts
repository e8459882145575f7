import { controlPlaneSuite } from './control-plane.suite';

controlPlaneSuite('control plane on SQLite', async () => ({
  url: undefined,
  drop: async () => undefined,
}));
