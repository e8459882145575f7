export { startDataPlane } from './server';
export type { RunningDataPlane } from './server';
