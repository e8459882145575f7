import { createHash } from 'node:crypto';
import request from 'supertest';
import { z } from 'zod';
import { serve } from '../test/serve';
import { createApiRouter } from './api-router';
import { endpoint } from './endpoint';
import { AppError } from './errors/app-error';
import { html, raw } from './html';
import { allowOnPage } from './internal/html-headers';
import { HtmlPage, Redirect } from './responses';

const XSS = `<script>alert("x")</script>`;

describe('html``', () => {
  it('escapes every interpolation, including in attributes', () => {
    const page = html`<a title="${`" onmouseover="x`}">${XSS}</a><i>${"'&`"}</i>`;
    expect(page.toString()).toBe(
      '<a title="&quot; onmouseover=&quot;x">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a>' +
        '<i>&#39;&amp;&#96;</i>',
    );
  });

  it('nests fragments and arrays, and renders false, null and undefined as nothing', () => {
    const items = ['<b>', 'c'];
    // The exact output is under test, so the template must not be reformatted.
    // prettier-ignore
    const list = html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
    const page = html`${list}${false}${null}${undefined}${0}`;
    expect(page.toString()).toBe('<ul><li>&lt;b&gt;</li><li>c</li></ul>0');
  });

  it('leaves raw() fragments as they are, and only those', () => {
    expect(html`${raw('<hr>')}${'<hr>'}`.toString()).toBe('<hr>&lt;hr&gt;');
  });
});

function makeApp() {
  const api = createApiRouter();
  api.get(
    '/hello',
    endpoint(
      {
        summary: 'Hello page',
        query: z.object({ name: z.string().max(50) }),
        response: HtmlPage,
      },
      async function hello({ query }) {
        return html`<!doctype html><title>Hi</title>
          <p>Hello, ${query.name}</p>`;
      },
    ),
  );
  api.post(
    '/sign-in',
    endpoint(
      {
        summary: 'Sign-in form',
        accepts: 'form',
        body: z.object({ email: z.email() }),
        responses: { 200: HtmlPage, 303: Redirect },
        errors: ['invalid_credentials'],
      },
      async function signIn({ body, reply, redirect }) {
        if (body.email.startsWith('ok')) return redirect('/next', 303);
        if (body.email.startsWith('boom')) throw new Error('db password hunter2');
        if (body.email.startsWith('bad')) {
          throw new AppError('invalid_credentials', `No account for ${body.email}${XSS}`);
        }
        return reply(200, html`<p>Check ${body.email}</p>`);
      },
    ),
  );
  api.get(
    '/enhanced',
    endpoint(
      { summary: 'A page with script files of its own', response: HtmlPage },
      async function enhanced(_input, _req, res) {
        allowOnPage(res, { ownScripts: true });
        return html`<p>Hi</p>`;
      },
    ),
  );
  api.get(
    '/unsafe',
    endpoint(
      { summary: 'Returns a string', response: HtmlPage },
      // @ts-expect-error -- a plain string could be unescaped concatenation; only SafeHtml is sent
      async function unsafe() {
        return `<p>${XSS}</p>`;
      },
    ),
  );
  return serve(api);
}

function expectStrictCsp(csp: string | undefined): void {
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).toMatch(/form-action 'self'/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  expect(csp).not.toMatch(/unsafe-inline|script-src/);
}

describe('HTML endpoints', () => {
  it('serve pages as text/html with a strict CSP, escaping input', async () => {
    const res = await request(makeApp()).get('/hello').query({ name: XSS });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectStrictCsp(res.headers['content-security-policy']);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Hello, &lt;script&gt;');
    expect(res.text).not.toContain('<script>');
  });

  it('answer a form post with a page or a redirect', async () => {
    const page = await request(makeApp()).post('/sign-in').type('form').send('email=me@x.io');
    expect(page.status).toBe(200);
    expect(page.text).toBe('<p>Check me@x.io</p>');
    const next = await request(makeApp()).post('/sign-in').type('form').send('email=ok@x.io');
    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/next');
  });

  it('render errors as an escaped HTML page with the request id', async () => {
    const res = await request(makeApp())
      .post('/sign-in')
      .set('X-Request-Id', 'req-42')
      .type('form')
      .send('email=bad@x.io');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectStrictCsp(res.headers['content-security-policy']);
    expect(res.text).toContain('<h1>The email or password is incorrect</h1>');
    expect(res.text).toContain('No account for bad@x.io&lt;script&gt;');
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('req-42');
    expect(res.text).toContain('invalid_credentials');
  });

  it('render validation errors naming the field', async () => {
    const res = await request(makeApp()).post('/sign-in').type('form').send('email=nope');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<code>body.email</code>');
  });

  it('show no detail and no stack for a 5xx', async () => {
    const res = await request(makeApp()).post('/sign-in').type('form').send('email=boom@x.io');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('Something went wrong on our side');
    expect(res.text).not.toMatch(/hunter2|at |Error:/);
  });

  it('allow the error page its inline style by hash only', async () => {
    const res = await request(makeApp()).post('/sign-in').type('form').send('email=nope');
    const style = /<style>([\s\S]*)<\/style>/.exec(res.text)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers['content-security-policy']).toContain(`style-src 'self' 'sha256-${hash}'`);
  });

  it('refuse a plain string as HTML: 500, nothing of it sent', async () => {
    const res = await request(makeApp()).get('/unsafe');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('alert');
  });

  it("let a page load this origin's script files and call it back, never inline script", async () => {
    const csp = (await request(makeApp()).get('/enhanced')).headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const plain = (await request(makeApp()).get('/hello')).headers['content-security-policy'];
    expect(plain).not.toMatch(/script-src|connect-src/);
  });
});
