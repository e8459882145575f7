import { adminOnboardingSuite } from './admin-onboarding.suite';
import { postgresDatabase } from './support/cp-databases';

adminOnboardingSuite('PostgreSQL', postgresDatabase('hj_test_cp_onboarding'));
