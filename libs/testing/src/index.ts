export { CANONICAL_JWS, NOT_CANONICAL_JWS, respellings } from './canonical-jws-vectors';
export { eventually } from './eventually';
export { freePort } from './free-port';
export { expectMalformedBodiesRefused, expectProblem, sendBytes } from './malformed-bodies';
export type { RawAnswer } from './malformed-bodies';
export { deleteRedisKeys, testRedisPrefix } from './redis-keys';
export type { RedisKeyClient } from './redis-keys';
export { requestRaw } from './raw-http';
export type { RawResponse } from './raw-http';
export { systemEnv } from './system-env';
export type { SystemEnvOptions } from './system-env';
export {
  createControlPlaneServices,
  createDatabase,
  createVhost,
  dropDatabase,
  MYSQL_URL,
  POSTGRES_URL,
  RABBITMQ_URL,
  uniqueName,
} from './services';
