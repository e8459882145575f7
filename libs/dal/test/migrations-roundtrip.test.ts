import { describeMigrationRoundTrip } from './conformance/migrations.suite';
import { sqliteDatabase } from './support/sqlite';

jest.setTimeout(30_000);

describeMigrationRoundTrip('sqlite', sqliteDatabase);
