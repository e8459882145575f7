import { describeGlobalDb } from './conformance/global.suite';
import { describeMail } from './conformance/mail.suite';
import { describeOAuthState } from './conformance/oauth-state.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describePaging } from './conformance/paging.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantPools } from './conformance/tenant.suite';
import { postgresDatabase, postgresServer } from './support/servers';

describeGlobalDb('pg', postgresDatabase);
describeOutbox('pg', postgresDatabase);
describeTenantPools('pg', postgresServer, postgresDatabase);
describeProvisioning('pg', postgresServer);
describePaging('pg', postgresServer, postgresDatabase);
describeOAuthState('pg', postgresServer);
describeMail('pg', postgresServer);
