import { operatorsSuite } from './operators.suite';
import { postgresDatabase } from './support/cp-databases';

operatorsSuite('PostgreSQL', postgresDatabase('hj_test_cp_operators'));
