import { useId, useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { createOrUpdate } from '../api/save';
import type { Webhook, WebhookWithSecret } from '../api/types';
import { CheckField, Field } from '../ui/field';
import { FormActions } from '../ui/form-actions';
import { FormSummary } from '../ui/form-summary';
import { useSubmit } from '../ui/use-submit';

const FIELDS = ['url', 'event_types', 'enabled', 'description'] as const;

/**
 * Creates a webhook (the answer carries its signing secret, shown once by the caller) or edits
 * `webhook`: URL, events, enabled, description. The signing secret is not part of an edit.
 */
export function WebhookForm(props: {
  base: string;
  webhook?: Webhook;
  onSaved: (saved: Webhook | WebhookWithSecret) => void;
  onCancel?: () => void;
}): ReactNode {
  const { cp } = useApi();
  const headingId = useId();
  const { webhook } = props;
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [events, setEvents] = useState(webhook?.event_types.join(' ') ?? '*');
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [description, setDescription] = useState(webhook?.description ?? '');
  const form = useSubmit(async () => {
    const body = {
      url,
      event_types: events.split(/[\s,]+/).filter(Boolean),
      enabled,
      description: description.trim() === '' ? null : description,
    };
    // Only a create answers the signing secret (WebhookWithSecret).
    const saved = await createOrUpdate<Webhook | WebhookWithSecret>(
      cp,
      props.base,
      webhook?.id,
      body,
    );
    if (!webhook) {
      setUrl('');
      setDescription('');
    }
    props.onSaved(saved);
  });

  const [idle, busy] = webhook ? ['Save webhook', 'Saving…'] : ['Create webhook', 'Creating…'];
  return (
    <form onSubmit={form.onSubmit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>{webhook ? `Edit webhook ${webhook.url}` : 'Create a webhook'}</h2>
      <FormSummary form={form} fields={FIELDS} />
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        spellCheck={false}
        hint="https; deliveries are signed (Standard Webhooks)."
        value={url}
        onValue={setUrl}
        error={form.fieldError('url')}
      />
      <Field
        label="Events"
        name="event_types"
        spellCheck={false}
        hint="Space-separated: exact types (user.created), wildcards (user.*) or * for all."
        value={events}
        onValue={setEvents}
        error={form.fieldError('event_types')}
      />
      <Field
        label="Description"
        name="description"
        value={description}
        onValue={setDescription}
        error={form.fieldError('description')}
      />
      <CheckField label="Enabled" name="enabled" checked={enabled} onChange={setEnabled} />
      <FormActions
        pending={form.pending}
        label={idle}
        pendingLabel={busy}
        {...(props.onCancel && { onCancel: props.onCancel })}
      />
    </form>
  );
}
