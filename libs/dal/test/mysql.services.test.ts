import { describeGlobalDb } from './conformance/global.suite';
import { describeMail } from './conformance/mail.suite';
import { describeOAuthState } from './conformance/oauth-state.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describePaging } from './conformance/paging.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantPools } from './conformance/tenant.suite';
import { mysqlDatabase, mysqlServer } from './support/servers';

describeGlobalDb('mysql', mysqlDatabase);
describeOutbox('mysql', mysqlDatabase);
describeTenantPools('mysql', mysqlServer, mysqlDatabase);
describeProvisioning('mysql', mysqlServer);
describePaging('mysql', mysqlServer, mysqlDatabase);
describeOAuthState('mysql', mysqlServer);
describeMail('mysql', mysqlServer);
