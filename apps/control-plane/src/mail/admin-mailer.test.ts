import { AppError, createLogger } from '@hellojohn/http';
import { adminInvitationMail } from './admin-invitation-mail';
import { createAdminMailer } from './admin-mailer';

const mail = adminInvitationMail({
  to: 'new@example.com',
  link: 'https://cp.example.com/console/#/accept-invitation?token=hjinv_x',
  role: '<owner>',
  expiresAt: new Date('2030-01-02T03:04:05Z'),
});
const logger = createLogger({ name: 'mail-test', level: 'silent' });

describe('the CP admin mailer without an SMTP server', () => {
  it('logs the mail outside production', async () => {
    const mailer = createAdminMailer({
      smtpUrl: undefined,
      mailFrom: 'ops@example.com',
      production: false,
      logger,
    });
    await expect(mailer.send(mail)).resolves.toBe('logged');
  });

  it('refuses in production (nothing would ever arrive)', async () => {
    const mailer = createAdminMailer({
      smtpUrl: undefined,
      mailFrom: 'ops@example.com',
      production: true,
      logger,
    });
    const sent = mailer.send(mail);
    await expect(sent).rejects.toBeInstanceOf(AppError);
    await expect(sent).rejects.toMatchObject({ code: 'service_unavailable' });
  });
});

describe('the invitation mail', () => {
  it('carries the link in both parts and escapes the HTML', () => {
    expect(mail.text).toContain('?token=hjinv_x');
    expect(mail.text).toContain('2030-01-02 03:04 UTC');
    expect(mail.html).toContain(
      'href="https://cp.example.com/console/#/accept-invitation?token=hjinv_x"',
    );
    expect(mail.html).toContain('&lt;owner&gt;');
    expect(mail.html).not.toContain('<owner>');
  });
});
