import { tenantApi, type TenantApi } from './auth-client';
import { startDpSystem, type DpSystem, type TestTenant } from './dp-system';
import { firstPartyWebApp, type RegisteredClient } from './fake-clients';
import { mailEnv, startMailCatcher, type MailCatcher } from './mail-catcher';

/** A data plane that mails over real SMTP to a catcher, one tenant and its first-party web app. */
export interface HostedMailSystem {
  readonly mail: MailCatcher;
  readonly system: DpSystem;
  readonly tenant: TestTenant;
  readonly api: TenantApi;
  readonly web: RegisteredClient;
  close(): Promise<void>;
}

/** Starts the mail catcher, then the data plane mailing to it, a tenant and its web app. */
export async function startHostedMailSystem(
  tenantName: string,
  redirectUri: string,
): Promise<HostedMailSystem> {
  const mail = await startMailCatcher();
  const system = await startDpSystem(mailEnv(mail));
  const tenant = await system.createTenant(tenantName);
  return {
    mail,
    system,
    tenant,
    api: tenantApi(system.dp.url, tenant),
    web: await system.clients.register(tenant.id, firstPartyWebApp(redirectUri)),
    close: async () => {
      await system.close();
      await mail.close();
    },
  };
}
