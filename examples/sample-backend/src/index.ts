export { createApp } from './app';
export type { SampleBackendOptions } from './app';
