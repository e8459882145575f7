export { startControlPlane } from './server';
export type { RunningControlPlane } from './server';
