import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFormBrowser, decodeEntities, formsOf } from './form-browser';

interface Seen {
  method: string;
  url: string;
  cookie: string | undefined;
  origin: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A loopback server whose routes the tests set; it records every request it sees. */
async function serve(
  routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        cookie: req.headers.cookie,
        origin: req.headers.origin,
        contentType: req.headers['content-type'],
        body,
      });
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = routes[`${req.method} ${path}`];
      if (route) route(req, res, body);
      else res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

const html = (res: ServerResponse, body: string, headers: Record<string, string | string[]> = {}) =>
  res.writeHead(200, { 'content-type': 'text/html', ...headers }).end(body);
const redirect = (res: ServerResponse, status: number, location: string): void => {
  res.writeHead(status, { location }).end();
};

describe('form browser', () => {
  it('decodes the entities a server escapes attribute values with', () => {
    expect(decodeEntities('a&amp;b &quot;q&quot; &#39;s&#39; &lt;t&gt; &#x41;&#66; &bogus;')).toBe(
      `a&b "q" 's' <t> AB &bogus;`,
    );
  });

  it('reads forms: attributes in any order and quoting, checked boxes, selects, textareas', () => {
    const forms = formsOf(`
      <!-- <form action="/commented"><input name="no" value="no"></form> -->
      <form method=POST class='x' action='/t/a/login?tx=1&amp;y=2'>
        <input value="v&quot;1" type="hidden" name="csrf">
        <input type='text' name='email' value='pre@example.com'/>
        <input name=bare value=plain>
        <input type="checkbox" name="remember" checked>
        <input type="checkbox" name="unchecked" value="1">
        <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
        <input type="text" name="off" value="x" disabled>
        <input type="submit" value="Go">
        <select name="lang"><option value="en">English<option value="de" selected>Deutsch</select>
        <textarea name="note">a &lt;b&gt; <input name="not-a-field"></textarea>
        <script>const s = '<input name="also-not" value="x">';</script>
      </form>
      <form action="/second"><input name="q" value="1"></form>`);
    expect(forms).toEqual([
      {
        action: '/t/a/login?tx=1&y=2',
        method: 'post',
        fields: [
          ['csrf', 'v"1'],
          ['email', 'pre@example.com'],
          ['bare', 'plain'],
          ['remember', 'on'],
          ['r', 'b'],
          ['lang', 'de'],
          ['note', 'a <b> <input name="not-a-field">'],
        ],
      },
      { action: '/second', method: 'get', fields: [['q', '1']] },
    ]);
  });

  it('keeps cookies per origin and path, follows redirects, stops at stopAt', async () => {
    const other = await serve({
      'GET /cb': (_req, res) => html(res, 'callback'),
    });
    const site = await serve({
      'GET /t/a/start': (_req, res) => {
        res.setHeader('set-cookie', [
          'hj_session=abc; Path=/t/a; HttpOnly; SameSite=Lax',
          'root=1; Path=/',
          'gone=1; Path=/; Max-Age=0',
        ]);
        redirect(res, 302, '/t/a/next');
      },
      'GET /t/a/next': (_req, res) => {
        redirect(res, 303, `${other.url}/cb?code=x`);
      },
      'GET /t/ab/page': (_req, res) => html(res, 'ok'),
      'GET /t/a/bye': (_req, res) => {
        res.setHeader(
          'set-cookie',
          'hj_session=; Path=/t/a; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        );
        html(res, 'bye');
      },
    });
    try {
      const browser = createFormBrowser();
      const page = await browser.open(`${site.url}/t/a/start`);
      expect(page).toMatchObject({ url: `${other.url}/cb?code=x`, status: 200, html: 'callback' });
      expect(browser.cookies(`${site.url}/t/a/login`)).toEqual(['hj_session=abc', 'root=1']);
      // Path /t/a does not match /t/ab; another origin gets nothing.
      expect(browser.cookies(`${site.url}/t/ab/page`)).toEqual(['root=1']);
      expect(browser.cookies(`${other.url}/t/a/login`)).toEqual([]);
      expect(other.seen[0]?.cookie).toBeUndefined();
      expect(site.seen[1]).toMatchObject({ url: '/t/a/next', cookie: 'hj_session=abc; root=1' });

      const stopped = await browser.open(`${site.url}/t/a/next`, { stopAt: `${other.url}/cb` });
      expect(stopped.status).toBe(303);
      expect(stopped.headers.get('location')).toBe(`${other.url}/cb?code=x`);
      expect(other.seen).toHaveLength(1);

      await browser.open(`${site.url}/t/a/bye`);
      expect(browser.cookies(`${site.url}/t/a/login`)).toEqual(['root=1']);
    } finally {
      await site.close();
      await other.close();
    }
  });

  it('submits a form like a browser: POST with Origin, 303 to GET, the chosen button', async () => {
    const site = await serve({
      'GET /login': (_req, res) =>
        html(
          res,
          `<form method="post" action="/other"><input name="x" value="1"></form>
           <form action="login?tx=t1" method="post">
             <input type="hidden" name="tx" value="t1"><input type="hidden" name="csrf" value="c&amp;1">
             <input name="email" value="old@example.com"><input type="password" name="password">
             <button name="decision" value="allow">Allow</button>
             <button type="submit" name="decision" value="deny" formaction="/deny">Deny</button>
           </form>`,
          { 'set-cookie': 'interaction=i1; Path=/' },
        ),
      'POST /login': (_req, res) => {
        redirect(res, 303, '/done');
      },
      'POST /deny': (_req, res) => {
        redirect(res, 307, '/deny-again');
      },
      'POST /deny-again': (_req, res) => html(res, 'denied'),
      'GET /done': (_req, res) => html(res, 'done'),
      'GET /search': (_req, res) => html(res, 'found'),
      'GET /find': (_req, res) =>
        html(res, `<form action="/search?ignored=1"><input name="q" value="a b"></form>`),
    });
    try {
      const browser = createFormBrowser();
      const page = await browser.open(`${site.url}/login`);
      const done = await browser.submit(
        page,
        { email: 'user@example.com', password: 'p&ss w=rd' },
        { action: 'login?tx=t1' },
      );
      expect(done).toMatchObject({ url: `${site.url}/done`, status: 200, html: 'done' });
      const post = site.seen[1];
      expect(post).toMatchObject({
        method: 'POST',
        url: '/login?tx=t1',
        origin: site.url,
        cookie: 'interaction=i1',
        contentType: 'application/x-www-form-urlencoded',
      });
      // Enter in a form submits it with its first submit button, as a browser does.
      expect(Object.fromEntries(new URLSearchParams(post?.body))).toEqual({
        tx: 't1',
        csrf: 'c&1',
        email: 'user@example.com',
        password: 'p&ss w=rd',
        decision: 'allow',
      });
      expect(site.seen[2]).toMatchObject({ method: 'GET', url: '/done', origin: undefined });

      const denied = await browser.submit(
        page,
        {},
        {
          action: 'login?tx=t1',
          button: { name: 'decision', value: 'deny' },
        },
      );
      expect(denied.html).toBe('denied');
      // 307 keeps the method and the body.
      expect(site.seen[4]).toMatchObject({ method: 'POST', url: '/deny-again', origin: site.url });
      expect(new URLSearchParams(site.seen[4]?.body).getAll('decision')).toEqual(['deny']);

      const found = await browser.submit(await browser.open(`${site.url}/find`), {});
      expect(found).toMatchObject({ url: `${site.url}/search?q=a+b`, html: 'found' });

      await expect(browser.submit(page, {}, { action: '/nowhere' })).rejects.toThrow(/no form/);
    } finally {
      await site.close();
    }
  });

  it('does not follow a redirect to a non-http scheme', async () => {
    const site = await serve({
      'GET /app': (_req, res) => {
        redirect(res, 302, 'com.example.app:/cb?code=1');
      },
    });
    try {
      const page = await createFormBrowser().open(`${site.url}/app`);
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('com.example.app:/cb?code=1');
    } finally {
      await site.close();
    }
  });
});
