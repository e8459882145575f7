import { html, type SafeHtml } from '@hellojohn/http';
import { Router, type RequestHandler, type Response } from 'express';
import type { DevMail, DevMailbox } from './dev-mailbox';

/**
 * Pages of our own only: no script anywhere, inline styles (mail HTML is all inline styles), and
 * a mail's preview sandboxed, so nothing in a mail body can act as this origin.
 */
function sendPage(res: Response, body: string, sandbox: boolean): void {
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; img-src https: data:${sandbox ? '; sandbox' : ''}`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.type('html').send(body);
}

function listPage(mails: DevMail[]): SafeHtml {
  const rows = mails.map(
    (mail) =>
      html`<tr>
        <td>${mail.receivedAt.replace('T', ' ').slice(0, 19)}</td>
        <td>${mail.tenantSlug}</td>
        <td>${mail.to}</td>
        <td><a href="/dev/mailbox/${mail.id}">${mail.subject}</a></td>
        <td><a href="/dev/mailbox/${mail.id}/text">text</a></td>
      </tr>`,
  );
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Dev mailbox</title>
      </head>
      <body style="font-family:system-ui,sans-serif;margin:2rem">
        <h1>Dev mailbox</h1>
        <p>
          Mails kept instead of sent (no <code>HJ_SMTP_URL</code>); newest first. Never served in
          production.
        </p>
        ${
          mails.length === 0
            ? html`<p>No mail yet.</p>`
            : html`<table cellpadding="6" style="border-collapse:collapse">
                <thead>
                  <tr>
                    <th align="left">received</th>
                    <th align="left">tenant</th>
                    <th align="left">to</th>
                    <th align="left">subject</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>`
        }
      </body>
    </html>`;
}

/**
 * `GET /dev/mailbox` (HTML list, or JSON for `Accept: application/json`), `GET /dev/mailbox/{id}`
 * (the mail's HTML as a reader sees it) and `GET /dev/mailbox/{id}/text`. Mounted by the app only
 * when NODE_ENV is not `production`; not part of the API document.
 */
export function devMailboxRouter(mailbox: DevMailbox): Router {
  const list: RequestHandler = async function listDevMails(req, res) {
    const mails = await mailbox.list();
    if (req.accepts(['html', 'json']) === 'json') {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ data: mails });
      return;
    }
    sendPage(res, listPage(mails).toString(), false);
  };
  const preview: RequestHandler = async function previewDevMail(req, res) {
    const mail = await mailbox.get(String(req.params['id']));
    if (!mail) {
      res.status(404).type('text').send('No such mail.');
      return;
    }
    sendPage(res, mail.html, true);
  };
  const text: RequestHandler = async function devMailText(req, res) {
    const mail = await mailbox.get(String(req.params['id']));
    if (!mail) {
      res.status(404).type('text').send('No such mail.');
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res
      .type('text')
      .send(`From: ${mail.from}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}`);
  };
  return Router()
    .get('/dev/mailbox', list)
    .get('/dev/mailbox/:id', preview)
    .get('/dev/mailbox/:id/text', text);
}
