import { AppError, endpoint, HtmlPage, Redirect } from '@hellojohn/http';
import type { Request, Response } from 'express';
import { requestMetaOf } from '../../audit/request-meta';
import { tenantOf, type TenantContext } from '../../tenancy/tenant-context';
import type { ExternalSignIn, Interaction } from '../hosted-login';
import type { FederatedAccounts } from './federated-account.service';
import type { FederationStates } from './federation-states';
import { newHandle } from './federation-states';
import { CallbackParams, LinkForm, ProviderParams, StartQuery } from './federation.schemas';
import type { IdentityProvider, IdentityProviderDirectory } from './identity-provider-directory';
import { bindingMatches, clearBinding, setBinding } from './state-binding';
import type { PasswordAuthenticator } from '../../credentials/authenticate-password';
import { UpstreamError } from './upstream/upstream-types';
import type { UpstreamClient } from './upstream/upstream-client';

const TAGS = ['hosted login'];
const PAGE = { 200: HtmlPage, 303: Redirect } as const;

export interface FederationRouteDeps {
  directory: IdentityProviderDirectory;
  upstream: UpstreamClient;
  states: FederationStates;
  accounts: FederatedAccounts;
  external: ExternalSignIn;
  passwords: PasswordAuthenticator;
  logger?: { warn(obj: object, msg: string): void };
}

/** The link form's path: `/t/{slug}/login/federated/{id}/link`. */
function linkPathOf(tenant: TenantContext, providerId: string): string {
  return `${new URL(tenant.config.issuer).pathname.replace(/\/$/, '')}/login/federated/${providerId}/link`;
}

/** `{issuer}/login/federated/{id}/callback`: the redirect URI registered at the provider. */
function callbackUrlOf(tenant: TenantContext, providerId: string): string {
  return `${tenant.config.issuer}/login/federated/${providerId}/callback`;
}

/**
 * The hosted login's round trip through an upstream identity provider (docs/federation.md):
 * start (a button's link), the callback (GET, or POST for `form_post`), and the password form
 * that links a first federated sign-in to an existing account.
 */
export function federationRoutes(deps: FederationRouteDeps) {
  const { external, directory, states } = deps;

  async function enabledProvider(
    req: Request,
    res: Response,
    tenant: TenantContext,
    id: string,
    interaction: Interaction | undefined,
  ): Promise<IdentityProvider> {
    const provider = await directory.find(tenant.config.id, id);
    if (!provider?.enabled) {
      throw external.failure(req, res, tenant, interaction, (m) => m.unavailableBody);
    }
    return provider;
  }

  async function callback(
    req: Request,
    res: Response,
    id: string,
    params: { state?: string | undefined },
    currentUrl: URL | globalThis.Request,
    respond: Parameters<ExternalSignIn['finish']>[6],
  ) {
    const tenant = tenantOf(res);
    const state = params.state ?? '';
    // The browser that started the round trip must be the one that finishes it (login CSRF).
    const bound = bindingMatches(req, tenant, state);
    clearBinding(res, tenant);
    const round = bound ? await states.consume(tenant, 'upstream', id, state) : undefined;
    if (!round) {
      throw external.failure(req, res, tenant, undefined, (m) => m.stateBody, 'forbidden');
    }
    const interaction = await external.interaction(req, res, tenant, round.tx);
    const provider = await enabledProvider(req, res, tenant, id, interaction);
    let upstream;
    try {
      upstream = await deps.upstream.complete(provider, currentUrl, {
        state,
        nonce: round.nonce,
        codeVerifier: round.code_verifier,
        redirectUri: round.redirect_uri,
      });
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      deps.logger?.warn(
        { err: error.cause ?? error, provider_id: provider.id, reason: error.reason },
        'federated sign-in failed upstream',
      );
      throw external.failure(req, res, tenant, interaction, (m) =>
        error.reason === 'denied' ? m.deniedBody(provider.name) : m.failedBody(provider.name),
      );
    }
    const meta = requestMetaOf(req);
    const outcome = await deps.accounts.resolve(tenant, provider, upstream, meta);
    switch (outcome.kind) {
      case 'user':
        return external.finish(req, res, tenant, interaction, outcome.user, ['fed'], respond);
      case 'refused':
        throw external.failure(req, res, tenant, interaction, (m) =>
          outcome.reason === 'sign_up_closed'
            ? m.signUpClosedBody(provider.name)
            : outcome.reason === 'no_email'
              ? m.noEmailBody(provider.name)
              : m.disabledBody,
        );
      case 'link': {
        const link = await states.create(tenant, 'link', provider.id, {
          tx: interaction.handle,
          user_id: outcome.user.id,
          email: outcome.user.email,
          subject: upstream.profile.subject,
          upstream_email: upstream.profile.email,
          tokens_sealed: outcome.tokensSealed,
        });
        const page = external.linkPage(req, res, tenant, interaction, {
          action: linkPathOf(tenant, provider.id),
          link,
          provider: provider.name,
          email: outcome.user.email,
          errors: [],
        });
        return respond.reply(200, page);
      }
    }
  }

  return {
    federatedStart: endpoint(
      {
        summary: 'Sign in with an upstream identity provider (the sign-in page’s button)',
        description:
          'Keeps the login transaction server-side with the round trip’s state, nonce and PKCE verifier, binds the state to this browser, and redirects (303) to the provider.',
        tags: TAGS,
        params: ProviderParams,
        query: StartQuery,
        responses: PAGE,
        errors: ['federation_failed'],
      },
      async function federatedStart({ params, query, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await external.interaction(req, res, tenant, query.tx);
        const provider = await enabledProvider(req, res, tenant, params.id, interaction);
        const checks = {
          nonce: newHandle(),
          codeVerifier: newHandle(),
          redirectUri: callbackUrlOf(tenant, provider.id),
        };
        let url: URL;
        const state = await states.create(tenant, 'upstream', provider.id, {
          tx: interaction.handle,
          nonce: checks.nonce,
          code_verifier: checks.codeVerifier,
          redirect_uri: checks.redirectUri,
        });
        try {
          url = await deps.upstream.authorizationUrl(provider, { ...checks, state });
        } catch (error) {
          deps.logger?.warn({ err: error, provider_id: provider.id }, 'provider discovery failed');
          throw external.failure(req, res, tenant, interaction, (m) => m.failedBody(provider.name));
        }
        setBinding(res, tenant, state);
        return redirect(url.href, 303);
      },
    ),

    federatedCallback: endpoint(
      {
        summary: 'Where the upstream identity provider sends the browser back',
        description:
          'Checks the state (bound to this browser, single use), exchanges the code (PKCE), validates the ID token (nonce), then signs in, creates or links the account, or asks for the password to link (docs/federation.md). Failures answer a page, never a 500.',
        tags: TAGS,
        params: ProviderParams,
        query: CallbackParams,
        responses: PAGE,
        errors: ['federation_failed', 'forbidden'],
      },
      async function federatedCallback({ params, query, reply, redirect }, req, res) {
        const url = new URL(callbackUrlOf(tenantOf(res), params.id));
        url.search = new URL(req.originalUrl, 'http://x').search;
        return callback(req, res, params.id, query, url, { reply, redirect });
      },
    ),

    federatedCallbackPost: endpoint(
      {
        summary: 'The provider’s answer as a form POST (`response_mode=form_post`, Apple)',
        tags: TAGS,
        params: ProviderParams,
        accepts: 'form',
        body: CallbackParams,
        responses: PAGE,
        errors: ['federation_failed', 'forbidden'],
      },
      async function federatedCallbackPost({ params, body, reply, redirect }, req, res) {
        const form = new URLSearchParams();
        for (const [name, value] of Object.entries(body)) {
          if (typeof value === 'string') form.set(name, value);
        }
        const request = new globalThis.Request(callbackUrlOf(tenantOf(res), params.id), {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        return callback(req, res, params.id, body, request, { reply, redirect });
      },
    ),

    federatedLink: endpoint(
      {
        summary: 'Link a first federated sign-in to the existing account with its password',
        tags: TAGS,
        params: ProviderParams,
        accepts: 'form',
        body: LinkForm,
        responses: PAGE,
        errors: ['federation_failed', 'forbidden', 'invalid_credentials', 'rate_limited'],
      },
      async function federatedLink({ params, body, reply, redirect }, req, res) {
        const tenant = tenantOf(res);
        const interaction = await external.interaction(req, res, tenant, body.tx);
        external.check(req, res, tenant, interaction, body.csrf);
        const provider = await enabledProvider(req, res, tenant, params.id, interaction);
        const pending = await states.consume(tenant, 'link', provider.id, body.link);
        if (!pending || pending.tx !== interaction.handle) {
          throw external.failure(req, res, tenant, interaction, (m) => m.failedBody(provider.name));
        }
        const meta = requestMetaOf(req);
        const checked = await deps.passwords.check(
          tenant,
          pending.email,
          body.password ?? '',
          meta,
        );
        if (!checked.ok || checked.user.id !== pending.user_id) {
          // Another try gets a fresh pending link: the one just spent is gone.
          const link = await states.create(tenant, 'link', provider.id, pending);
          const { m, frame } = external.form(req, res, tenant, interaction);
          const message = checked.ok ? m.wrongAccount : frame.messages.badCredentials;
          throw new AppError('invalid_credentials', message, {
            page: external.linkPage(req, res, tenant, interaction, {
              action: linkPathOf(tenant, provider.id),
              link,
              provider: provider.name,
              email: pending.email,
              errors: [{ field: 'password', message }],
            }),
          });
        }
        await deps.accounts.link(
          tenant,
          provider,
          {
            user: checked.user,
            subject: pending.subject,
            email: pending.upstream_email,
            tokensSealed: pending.tokens_sealed,
          },
          meta,
          'password',
        );
        return external.finish(req, res, tenant, interaction, checked.user, ['fed', 'pwd'], {
          reply,
          redirect,
        });
      },
    ),
  };
}
