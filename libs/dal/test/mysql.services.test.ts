import { describeGlobalDb } from './conformance/global.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantRouter } from './conformance/tenant.suite';
import { mysqlDatabase, mysqlServer } from './support/servers';

describeGlobalDb('mysql', mysqlDatabase);
describeOutbox('mysql', mysqlDatabase);
describeTenantRouter('mysql', mysqlServer, mysqlDatabase);
describeProvisioning('mysql', mysqlServer);
