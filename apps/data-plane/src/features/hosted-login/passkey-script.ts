/**
 * The hosted pages' passkey script, served as a static file next to the SimpleWebAuthn browser
 * bundle (passkey-assets.ts); no bundler, no inline script. It only ever adds to a page that
 * works without it (docs/hosted-login.md, "Passkeys"):
 *
 * - every `input[name=passkeys]` gets `1` when this device has an authenticator of its own that
 *   verifies the user (fingerprint, face, PIN): the server offers to add a passkey after sign-in
 *   only then;
 * - each `[data-passkey]` section (shipped `hidden`) is revealed; its button asks the section's
 *   `data-options-url` for options (POST of the form's fields: `tx`, `csrf`, ...), runs the
 *   ceremony and posts the result in the form's hidden `response` field;
 * - on the sign-in section (`data-passkey="sign-in"`) a conditional request starts on load, so
 *   the email field's autofill offers passkeys; using the button aborts it (SimpleWebAuthn
 *   aborts the previous ceremony whenever a new one starts);
 * - `[data-passkey-without]` elements (the enrol page's no-JavaScript "Continue") hide once a
 *   section shows (its own "Not now" takes their place).
 */
export const PASSKEY_CLIENT_JS = String.raw`(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || typeof window.PublicKeyCredential !== 'function' || !lib.browserSupportsWebAuthn()) {
    return;
  }

  lib.platformAuthenticatorIsAvailable().then(function (available) {
    if (!available) return;
    document.querySelectorAll('input[name="passkeys"]').forEach(function (input) {
      input.value = '1';
    });
  });

  function fieldsOf(form) {
    var body = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== 'response' && typeof value === 'string') body.append(name, value);
    });
    return body;
  }

  function optionsFor(section, form) {
    return fetch(section.getAttribute('data-options-url'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: fieldsOf(form),
    }).then(function (res) {
      if (!res.ok) throw new Error('options answered ' + res.status);
      return res.json();
    });
  }

  function post(form, credential) {
    form.querySelector('input[name="response"]').value = JSON.stringify(credential);
    form.submit();
  }

  function ceremony(kind, optionsJSON, autofill) {
    if (kind === 'enrol') return lib.startRegistration({ optionsJSON: optionsJSON });
    return lib.startAuthentication({ optionsJSON: optionsJSON, useBrowserAutofill: autofill });
  }

  document.querySelectorAll('[data-passkey]').forEach(function (section) {
    var kind = section.getAttribute('data-passkey');
    var form = section.querySelector('form');
    var button = section.querySelector('[data-passkey-start]');
    var error = section.querySelector('[data-passkey-error]');
    if (!form || !button) return;
    var busy = false;

    function run(autofill) {
      return optionsFor(section, form).then(function (optionsJSON) {
        return ceremony(kind, optionsJSON, autofill);
      }).then(function (credential) {
        post(form, credential);
      });
    }

    button.addEventListener('click', function () {
      if (busy) return;
      busy = true;
      if (error) error.hidden = true;
      run(false).catch(function (reason) {
        busy = false;
        // Another ceremony replacing this one is no failure to report.
        if (reason && reason.name === 'AbortError') return;
        if (error) {
          error.hidden = false;
          error.focus();
        }
      });
    });

    document.querySelectorAll('[data-passkey-without]').forEach(function (el) {
      el.hidden = true;
    });
    section.hidden = false;

    if (kind === 'sign-in' && lib.browserSupportsWebAuthnAutofill) {
      lib.browserSupportsWebAuthnAutofill().then(function (supported) {
        if (supported) run(true).catch(function () {});
      });
    }
  });
})();
`;
