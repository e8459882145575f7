export { freePort } from './free-port';
export {
  createDatabase,
  createVhost,
  dropDatabase,
  MYSQL_URL,
  POSTGRES_URL,
  RABBITMQ_URL,
  uniqueName,
} from './services';
