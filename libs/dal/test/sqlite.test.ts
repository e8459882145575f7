import { describeGlobalDb } from './conformance/global.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantRouter } from './conformance/tenant.suite';
import { sqliteDatabase, sqliteServer } from './support/sqlite';

jest.setTimeout(30_000);

describeGlobalDb('sqlite', sqliteDatabase);
describeOutbox('sqlite', sqliteDatabase);
describeTenantRouter('sqlite', sqliteServer, sqliteDatabase);
describeProvisioning('sqlite', sqliteServer);
