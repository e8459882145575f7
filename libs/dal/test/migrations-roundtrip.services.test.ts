import { describeMigrationRoundTrip } from './conformance/migrations.suite';
import { mysqlDatabase, postgresDatabase } from './support/servers';

describeMigrationRoundTrip('pg', postgresDatabase);
describeMigrationRoundTrip('mysql', mysqlDatabase);
