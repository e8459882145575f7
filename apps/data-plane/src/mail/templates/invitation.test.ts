import { renderMail } from '../render-mail';
import { invitation } from './invitation';

const branding = { tenantName: 'Acme ID', brandColor: '#2563eb', onBrandColor: '#ffffff' };
const variables = {
  link: 'https://id.example.com/t/acme/login/invitation?token=abc',
  organization: 'R&D <Team>',
  role: 'admin',
};

describe('invitation mail', () => {
  it('renders in English and Spanish with the link, escaping the organization in HTML', () => {
    const en = renderMail('invitation', 'en', variables, branding);
    expect(en.subject).toBe('You are invited to join R&D <Team> on Acme ID');
    expect(en.text).toContain(variables.link);
    expect(en.html).toContain('R&amp;D &lt;Team&gt;');
    expect(en.html).not.toContain('<Team>');
    const es = renderMail('invitation', 'es-AR', variables, branding);
    expect(es.subject).toBe('Te invitan a unirte a R&D <Team> en Acme ID');
    expect(es.text).toContain('caduca en 7 días');
  });

  it('takes only a link, an organization name and a role', () => {
    expect(invitation.variables.safeParse(variables).success).toBe(true);
    expect(invitation.variables.safeParse({ ...variables, link: 'javascript:x' }).success).toBe(
      false,
    );
    expect(invitation.variables.safeParse({ ...variables, extra: 1 }).success).toBe(false);
  });
});
