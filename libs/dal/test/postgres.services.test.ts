import { describeGlobalDb } from './conformance/global.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantRouter } from './conformance/tenant.suite';
import { postgresDatabase, postgresServer } from './support/servers';

describeGlobalDb('pg', postgresDatabase);
describeOutbox('pg', postgresDatabase);
describeTenantRouter('pg', postgresServer, postgresDatabase);
describeProvisioning('pg', postgresServer);
