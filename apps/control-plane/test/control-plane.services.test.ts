import { createDatabase, dropDatabase, POSTGRES_URL, uniqueName } from '@hellojohn/testing';
import { controlPlaneSuite } from './control-plane.suite';

controlPlaneSuite('control plane on PostgreSQL', async () => {
  const name = uniqueName('hj_cp_test');
  const url = await createDatabase(POSTGRES_URL, name);
  return { url, drop: () => dropDatabase(POSTGRES_URL, name) };
});
