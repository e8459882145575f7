export { createProgram, run } from './program';
export type { Io } from './io';
