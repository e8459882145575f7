export { freePort } from './free-port';
export { systemEnv } from './system-env';
export type { SystemEnvOptions } from './system-env';
export {
  createDatabase,
  createVhost,
  dropDatabase,
  MYSQL_URL,
  POSTGRES_URL,
  RABBITMQ_URL,
  uniqueName,
} from './services';
