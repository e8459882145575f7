import { clientsSuite } from './clients.suite';
import { mariaDbDatabase, postgresDatabase } from './support/cp-databases';

clientsSuite('PostgreSQL', postgresDatabase('hj_test_cp_clients'));
clientsSuite('MariaDB/MySQL', mariaDbDatabase('hj_test_cp_clients'));
