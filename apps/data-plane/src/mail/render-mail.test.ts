import { MAIL_TEMPLATE_KIND_VARIABLES } from '@hellojohn/config';
import type { z } from 'zod';
import { renderMail, type TemplateOverrideFailure } from './render-mail';
import { MAIL_KINDS } from './templates';

const branding = { tenantName: 'Acme <b>ID</b>', brandColor: '#2563eb', onBrandColor: '#ffffff' };
const link = 'https://id.example.com/t/acme/login/magic?token=abc';

describe('renderMail with tenant overrides', () => {
  it('validates overrides against the variables each kind really gives', () => {
    expect(Object.keys(MAIL_KINDS).sort()).toEqual(
      Object.keys(MAIL_TEMPLATE_KIND_VARIABLES).sort(),
    );
    for (const [kind, definition] of Object.entries(MAIL_KINDS)) {
      const shape = (definition.variables as z.ZodObject).shape;
      expect([kind, Object.keys(shape).sort()]).toEqual([
        kind,
        [...MAIL_TEMPLATE_KIND_VARIABLES[kind as keyof typeof MAIL_TEMPLATE_KIND_VARIABLES]].sort(),
      ]);
    }
  });

  it('uses the overridden parts, escapes values in HTML, and falls back per failing part', () => {
    const failures: TemplateOverrideFailure[] = [];
    const mail = renderMail(
      'magic_link',
      'en-GB',
      { link },
      branding,
      {
        magic_link: {
          en: {
            subject: 'Hi {{tenantName}}',
            html: '{{#if link}}<a href="{{link}}">{{tenantName}}</a>{{/if}}',
            text: '{{> button}}',
          },
        },
      },
      (failure) => failures.push(failure),
    );
    expect(mail.subject).toBe('Hi Acme <b>ID</b>');
    expect(mail.html).toContain('>Acme &lt;b&gt;ID&lt;/b&gt;</a>');
    expect(mail.text).toContain('Open this link to sign in to Acme <b>ID</b>');
    expect(failures).toEqual([
      { locale: 'en', part: 'text', error: expect.stringContaining('partials') as string },
    ]);
  });

  it('never reaches prototypes or helpers from an override', () => {
    const failures: TemplateOverrideFailure[] = [];
    const mail = renderMail(
      'email_otp',
      'en',
      { code: '123456' },
      branding,
      { email_otp: { en: { subject: '{{constructor}}', text: '{{lookup this "constructor"}}' } } },
      (failure) => failures.push(failure),
    );
    expect(mail.subject).toBe('123456 is your Acme <b>ID</b> code');
    expect(mail.text).toContain('Your Acme <b>ID</b> code is:');
    expect(failures.map((f) => f.part)).toEqual(['subject', 'text']);
  });
});
