import { adminOnboardingSuite } from './admin-onboarding.suite';
import { sqliteDatabase } from './support/cp-databases';

adminOnboardingSuite('SQLite', sqliteDatabase);
