import { identityProvidersSuite } from './identity-providers.suite';
import { postgresDatabase } from './support/cp-databases';

identityProvidersSuite('PostgreSQL', postgresDatabase('hj_test_cp_identity_providers'));
