import { resourcesSuite } from './resources.suite';
import { mariaDbDatabase, postgresDatabase } from './support/cp-databases';

resourcesSuite('PostgreSQL', postgresDatabase('hj_test_cp_resources'));
resourcesSuite('MariaDB/MySQL', mariaDbDatabase('hj_test_cp_resources'));
