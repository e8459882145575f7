import { describeDomainEventHooks } from './conformance/domain-event-hooks.suite';
import { describeGlobalDb } from './conformance/global.suite';
import { describeMail } from './conformance/mail.suite';
import { describeMfa } from './conformance/mfa.suite';
import { describeOrganizations } from './conformance/organizations.suite';
import { describeOAuthState } from './conformance/oauth-state.suite';
import { describeOutbox } from './conformance/outbox.suite';
import { describePaging } from './conformance/paging.suite';
import { describeProvisioning } from './conformance/provisioning.suite';
import { describeTenantPools } from './conformance/tenant.suite';
import { describeWebAuthnChallenges } from './conformance/webauthn-challenges.suite';
import { sqliteDatabase, sqliteServer } from './support/sqlite';

jest.setTimeout(30_000);

describeGlobalDb('sqlite', sqliteDatabase);
describeOutbox('sqlite', sqliteDatabase);
describeTenantPools('sqlite', sqliteServer, sqliteDatabase);
describeProvisioning('sqlite', sqliteServer);
describePaging('sqlite', sqliteServer, sqliteDatabase);
describeOAuthState('sqlite', sqliteServer);
describeMail('sqlite', sqliteServer);
describeMfa('sqlite', sqliteServer);
describeWebAuthnChallenges('sqlite', sqliteServer);
describeOrganizations('sqlite', sqliteServer);
describeDomainEventHooks('sqlite', sqliteServer);
