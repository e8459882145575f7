import { z } from 'zod';
import { createApiRouter } from './api-router';
import { endpoint } from './endpoint';
import { html } from './html';
import { buildOpenApiDocument } from './openapi';
import { HtmlPage, NoBody, Redirect } from './responses';

interface Response {
  description: string;
  content?: Record<string, { schema: Record<string, unknown> }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, Response>;
}

function documentOf() {
  const api = createApiRouter()
    .post(
      '/v1/users',
      endpoint(
        {
          summary: 'Create a user',
          body: z.object({ email: z.email() }),
          responses: {
            201: z.object({ id: z.string() }).describe('The new user'),
            202: z.object({ status: z.literal('accepted') }),
            204: NoBody,
          },
          errors: ['email_taken'],
        },
        async function createUser({ reply }) {
          return reply(204);
        },
      ),
    )
    .post(
      '/sign-in',
      endpoint(
        {
          summary: 'Sign in',
          accepts: 'form',
          body: z.object({ email: z.string() }),
          responses: { 200: HtmlPage, 303: Redirect },
          errors: ['invalid_credentials'],
        },
        async function signInForm({ redirect }) {
          return redirect('/done', 303);
        },
      ),
    )
    .get(
      '/page',
      endpoint({ summary: 'Page', response: HtmlPage }, async function page() {
        return html`<p>hi</p>`;
      }),
    )
    .post(
      '/oauth2/token',
      endpoint(
        {
          summary: 'Token',
          accepts: 'form',
          body: z.object({ grant_type: z.string() }),
          response: z.object({ access_token: z.string() }),
          errorFormat: 'oauth',
          oauthErrors: ['invalid_client', 'invalid_grant'],
          parameterErrors: { grant_type: 'unsupported_grant_type' },
          errors: ['rate_limited'],
        },
        async function token() {
          return { access_token: 'x' };
        },
      ),
    );
  const doc = buildOpenApiDocument({ title: 'T', version: '1' }, api.routes) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  const op = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`no ${method} ${path}`);
    return found;
  };
  return { doc, op };
}

const mediaTypes = (response: Response | undefined) => Object.keys(response?.content ?? {});

describe('buildOpenApiDocument', () => {
  it('lists every success status of a multi-status endpoint with its schema', () => {
    const { responses } = documentOf().op('/v1/users', 'post');
    expect(responses['201']?.description).toBe('The new user');
    expect(responses['201']?.content?.['application/json']?.schema.properties).toHaveProperty('id');
    expect(responses['202']?.description).toBe('Accepted');
    expect(mediaTypes(responses['202'])).toEqual(['application/json']);
    expect(responses['204']).toEqual({ description: 'No Content' });
  });

  it('lists validation, media-type, size and declared errors as problem+json', () => {
    const { responses } = documentOf().op('/v1/users', 'post');
    expect(Object.keys(responses).sort()).toEqual(
      ['201', '202', '204', '400', '409', '413', '415'].sort(),
    );
    for (const status of ['400', '409', '413', '415']) {
      expect(mediaTypes(responses[status])).toEqual(['application/problem+json']);
    }
    expect(responses['409']?.description).toMatch(/email_taken/);
  });

  it('documents redirects with a Location header and pages as text/html', () => {
    const signIn = documentOf().op('/sign-in', 'post');
    expect(signIn.responses['303']?.headers).toHaveProperty('Location');
    expect(signIn.responses['303']?.content).toBeUndefined();
    expect(mediaTypes(signIn.responses['200'])).toEqual(['text/html']);
    // Errors on an HTML route are HTML pages too.
    expect(mediaTypes(signIn.responses['401'])).toEqual(['text/html']);
    expect(mediaTypes(signIn.responses['400'])).toEqual(['text/html']);
    expect(Object.keys(signIn.requestBody?.content ?? {})).toEqual([
      'application/x-www-form-urlencoded',
    ]);
    const page = documentOf().op('/page', 'get');
    // 400 on every route: an unknown query parameter or a body it does not take (issue 15).
    expect(Object.keys(page.responses)).toEqual(['200', '400']);
    expect(mediaTypes(page.responses['200'])).toEqual(['text/html']);
  });

  it('documents OAuth routes with RFC 6749 errors, no-store and the 401 challenge', () => {
    const { doc, op } = documentOf();
    const { responses, requestBody } = op('/oauth2/token', 'post');
    expect(Object.keys(requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '413', '415', '429']);
    expect(responses['200']?.headers).toHaveProperty('Cache-Control');
    expect(responses['400']?.content?.['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/OAuthError',
    });
    expect(responses['400']?.description.split('; ').sort()).toEqual([
      'invalid_grant',
      'invalid_request',
      'unsupported_grant_type',
    ]);
    expect(responses['401']?.description).toBe('invalid_client');
    expect(responses['401']?.headers).toHaveProperty('WWW-Authenticate');
    expect(responses['429']?.description).toBe('temporarily_unavailable');
    expect(doc.components.schemas).toHaveProperty('OAuthError');
  });

  it('adds the OAuthError schema only when a route answers it', () => {
    const api = createApiRouter().get(
      '/x',
      endpoint({ summary: 'x' }, async function x() {
        return undefined;
      }),
    );
    const doc = buildOpenApiDocument({ title: 'T', version: '1' }, api.routes) as {
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.components.schemas).not.toHaveProperty('OAuthError');
  });

  it('documents an optional body as not required, any other as required', () => {
    const api = createApiRouter()
      .post(
        '/rotate',
        endpoint(
          { summary: 'Rotate', body: z.strictObject({}).optional(), status: 204 },
          async function rotate() {
            return undefined;
          },
        ),
      )
      .post(
        '/create',
        endpoint(
          { summary: 'Create', body: z.object({ name: z.string().optional() }), status: 204 },
          async function create() {
            return undefined;
          },
        ),
      );
    const doc = buildOpenApiDocument({ title: 'T', version: '1' }, api.routes) as {
      paths: Record<string, { post: { requestBody?: { required: boolean } } }>;
    };
    expect(doc.paths['/rotate']?.post.requestBody?.required).toBe(false);
    expect(doc.paths['/create']?.post.requestBody?.required).toBe(true);
    expect(documentOf().op('/v1/users', 'post').requestBody).toMatchObject({ required: true });
  });
});
