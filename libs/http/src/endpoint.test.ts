import request from 'supertest';
import { z } from 'zod';
import { serve } from '../test/serve';
import { createApiRouter } from './api-router';
import { endpoint } from './endpoint';
import { NoBody, Redirect } from './responses';

const SignUpBody = z.strictObject({ email: z.email(), quiet: z.boolean().optional() });
const SignedUp = z.object({ user: z.object({ email: z.string() }), tokens: z.array(z.string()) });
const Accepted = z.object({ status: z.literal('accepted') });

function makeApp() {
  const api = createApiRouter();
  api.post(
    '/sign-up',
    endpoint(
      {
        summary: 'Sign up',
        body: SignUpBody,
        responses: { 201: SignedUp, 202: Accepted },
      },
      async function signUp({ body, reply }) {
        if (body.quiet) return reply(202, { status: 'accepted' });
        const user = { email: body.email, password_hash: 'must-not-leak' };
        return reply(201, { user, tokens: ['a'] });
      },
    ),
  );
  api.post(
    '/broken',
    endpoint(
      { summary: 'Breaks its 202 schema', responses: { 201: SignedUp, 202: Accepted } },
      async function broken({ reply }) {
        // @ts-expect-error -- 202 takes only status "accepted"; the runtime must refuse it too
        return reply(202, { status: 'maybe' });
      },
    ),
  );
  api.get(
    '/teapot',
    endpoint(
      { summary: 'Answers an undeclared status', responses: { 200: Accepted, 204: NoBody } },
      async function teapot({ reply }) {
        // @ts-expect-error -- 418 is not declared: the types refuse it, and so must the runtime
        return reply(418, { status: 'accepted' });
      },
    ),
  );
  api.get(
    '/nothing',
    endpoint(
      { summary: 'Empty answer', responses: { 200: Accepted, 204: NoBody } },
      async function nothing({ reply }) {
        return reply(204);
      },
    ),
  );
  api.post(
    '/continue',
    endpoint(
      {
        summary: 'Next step',
        query: z.object({ to: z.enum(['consent', 'home']) }),
        responses: { 200: Accepted, 303: Redirect },
      },
      async function next({ query, redirect, reply }) {
        if (query.to === 'home') return reply(200, { status: 'accepted' });
        return redirect('/t/acme/consent?step=2 & more', 303);
      },
    ),
  );
  api.get(
    '/legacy',
    endpoint({ summary: 'Shorthand', response: Accepted, status: 202 }, async function legacy() {
      return { status: 'accepted' as const, extra: true };
    }),
  );
  return serve(api);
}

describe('endpoint() with several success statuses', () => {
  it('answers the status the handler picks, each checked and stripped by its schema', async () => {
    const app = makeApp();
    const created = await request(app).post('/sign-up').send({ email: 'a@example.com' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ user: { email: 'a@example.com' }, tokens: ['a'] });
    const accepted = await request(app)
      .post('/sign-up')
      .send({ email: 'a@example.com', quiet: true });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ status: 'accepted' });
  });

  it('answers 500 unexpected_failure when a body breaks the schema of its status', async () => {
    const res = await request(makeApp()).post('/broken');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('unexpected_failure');
    expect(JSON.stringify(res.body)).not.toMatch(/maybe/);
  });

  it('treats an undeclared status as a server bug: 500 unexpected_failure', async () => {
    const res = await request(makeApp()).get('/teapot');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('unexpected_failure');
  });

  it('sends no body for a NoBody status', async () => {
    const res = await request(makeApp()).get('/nothing');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('redirects with a percent-encoded Location and no body', async () => {
    const res = await request(makeApp()).post('/continue?to=consent');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/t/acme/consent?step=2%20&%20more');
    expect(res.text).toBe('');
    const ok = await request(makeApp()).post('/continue?to=home');
    expect(ok.status).toBe(200);
  });

  it('keeps the status + response shorthand', async () => {
    const res = await request(makeApp()).get('/legacy');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted' });
  });

  it('refuses, at definition time, specs no request could be served by', () => {
    const handler = async function never() {
      return undefined as never;
    };
    expect(() => endpoint({ summary: 'x', responses: { 200: Redirect } }, handler)).toThrow(
      /not a redirect status/,
    );
    expect(() => endpoint({ summary: 'x', responses: { 302: Accepted } }, handler)).toThrow(
      /declare it as Redirect/,
    );
    expect(() => endpoint({ summary: 'x', responses: { 204: Accepted } }, handler)).toThrow(
      /cannot carry a body/,
    );
    expect(() => endpoint({ summary: 'x', responses: { 404: Accepted } }, handler)).toThrow(
      /2xx and 3xx/,
    );
  });
});
