import { html, type SafeHtml } from '@hellojohn/http';
import { layout, type PageFrame } from './layout';

/** One submit button of the invitation form: what it asks the POST to do. */
export interface InvitationChoice {
  intent: 'sign_in' | 'sign_up' | 'switch';
  text: string;
  secondary?: boolean;
}

/**
 * The invitation page for a browser that cannot accept yet (nobody, or someone else, signed
 * in): the offer, why, and one form whose buttons start the hosted sign-in (or sign-up) that
 * comes back here. Plain submit buttons, so it works without JavaScript.
 */
export function invitationChoicePage(
  frame: PageFrame,
  view: {
    action: string;
    csrf: string;
    token: string;
    heading: string;
    body: string;
    note: string;
    choices: readonly InvitationChoice[];
  },
): SafeHtml {
  return layout(
    { ...frame, title: view.heading },
    html`<h1>${view.heading}</h1>
      <p>${view.body}</p>
      <p>${view.note}</p>
      <form method="post" action="${view.action}">
        <input type="hidden" name="csrf" value="${view.csrf}" />
        <input type="hidden" name="token" value="${view.token}" />
        ${view.choices.map(
          (choice) =>
            html`<button
              type="submit"
              name="intent"
              value="${choice.intent}"
              class="${choice.secondary === true ? 'secondary' : ''}"
            >
              ${choice.text}
            </button>`,
        )}
      </form>`,
  );
}
