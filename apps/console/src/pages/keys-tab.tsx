import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { Jwks, Tenant } from '../api/types';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Loading, ProblemPanel } from '../ui/problem-panel';
import { useResource } from '../ui/use-resource';

/** The tenant's public signing keys (its JWKS, from the data plane) and key rotation. */
export function KeysTab(props: { tenant: Tenant }): ReactNode {
  const { cp, dp } = useApi();
  const path = `/t/${seg(props.tenant.slug)}/.well-known/jwks.json`;
  const jwks = useResource(() => dp<Jwks>('GET', path), path);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  return (
    <>
      <p>
        Published at <span className="mono">{props.tenant.issuer}/.well-known/jwks.json</span>.
      </p>
      {jwks.error && <ProblemPanel error={jwks.error} onRetry={jwks.reload} />}
      {jwks.loading && !jwks.data && <Loading label="keys" />}
      {jwks.data && (
        <table>
          <caption>Published keys</caption>
          <thead>
            <tr>
              <th scope="col">Key id</th>
              <th scope="col">Algorithm</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {jwks.data.keys.map((key) => (
              <tr key={String(key.kid)}>
                <td className="mono">{String(key.kid)}</td>
                <td>{String(key.alg ?? '')}</td>
                <td>{String(key.kty)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Rotate keys
      </button>
      <p role="status">{message}</p>
      {confirming && (
        <ConfirmDialog
          title="Rotate the signing keys?"
          confirmLabel="Rotate keys"
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={async () => {
            try {
              await cp('POST', `/v1/tenants/${seg(props.tenant.slug)}/keys/rotate`);
              setMessage('Rotation requested; the new keys appear here shortly.');
            } catch (failure) {
              setMessage(failure instanceof Error ? failure.message : 'Rotation failed');
            }
            setConfirming(false);
            jwks.reload();
          }}
        >
          <p>
            New tokens are signed with new keys; the old keys stay published until their tokens
            expire.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
