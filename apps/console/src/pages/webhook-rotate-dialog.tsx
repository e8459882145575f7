import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { Webhook, WebhookWithSecret } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { SelectField } from '../ui/field';

/** How long the old secret keeps signing beside the new one (the API allows up to 30 days). */
const OVERLAPS: Record<string, number> = {
  'None: it stops at once': 0,
  '1 hour': 3600,
  '24 hours': 86_400,
  '7 days': 604_800,
};

/**
 * Confirms a signing-secret rotation with its overlap, so receivers can take the new secret
 * before the old one stops; `onRotated` gets the answer, whose secret is shown once.
 */
export function WebhookRotateDialog(props: {
  base: string;
  webhook: Webhook;
  onRotated: (rotated: WebhookWithSecret) => void;
  onFailed: (failure: unknown) => void;
  onCancel: () => void;
}): ReactNode {
  const { cp } = useApi();
  const [overlap, setOverlap] = useState('24 hours');
  return (
    <ConfirmDialog
      title={`Rotate the signing secret of ${props.webhook.url}?`}
      confirmLabel="Rotate secret"
      onCancel={props.onCancel}
      onConfirm={async () => {
        try {
          props.onRotated(
            await cp<WebhookWithSecret>(
              'POST',
              `${props.base}/${seg(props.webhook.id)}/secret/rotate`,
              { body: { overlap_seconds: OVERLAPS[overlap] } },
            ),
          );
        } catch (failure) {
          props.onFailed(failure);
        }
      }}
    >
      <p>A new secret signs from now on; during the overlap, deliveries carry both signatures.</p>
      <SelectField
        label="Old secret keeps signing for"
        name="overlap"
        value={overlap}
        options={Object.keys(OVERLAPS)}
        onChange={setOverlap}
      />
    </ConfirmDialog>
  );
}
