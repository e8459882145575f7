import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { seg } from '../api/http';
import type { WebhookDelivery } from '../api/types';
import { Pager } from '../ui/pager';
import { ListStates } from '../ui/list-states';
import { StatusBadge } from '../ui/status-badge';
import { usePagedList } from '../ui/use-paged-list';
import { when } from '../ui/when';
import { asApiError, type ApiError } from '../api/api-error';

/**
 * One webhook's deliveries, newest first, a page at a time, with the outcome of their latest
 * attempt; Retry sends one again now (same `webhook-id`), whatever its status.
 */
export function WebhookDeliveries(props: { path: string; url: string }): ReactNode {
  const { cp } = useApi();
  const { list: deliveries, paging } = usePagedList<WebhookDelivery>(cp, props.path);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<ApiError>();

  async function retry(delivery: WebhookDelivery): Promise<void> {
    setFailure(undefined);
    try {
      await cp('POST', `${props.path}/${seg(delivery.id)}/retry`, { body: {} });
      setNotice(`Delivery of ${delivery.event_type} queued again.`);
    } catch (error) {
      setFailure(asApiError(error));
    }
    deliveries.reload();
  }

  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries to {props.url}</h2>
      <p role="status">{notice}</p>
      <ListStates
        list={deliveries}
        label="deliveries"
        empty="No deliveries yet"
        failure={failure}
      />
      {deliveries.data && deliveries.data.data.length > 0 && (
        <table aria-busy={deliveries.loading}>
          <caption>Deliveries to {props.url}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Response</th>
              <th scope="col">Duration</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.data.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>{delivery.event_type}</td>
                <td>
                  <StatusBadge status={delivery.status} />
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.response_status ?? delivery.error ?? ''}</td>
                <td>{delivery.duration_ms === null ? '' : `${String(delivery.duration_ms)} ms`}</td>
                <td>{when(delivery.last_attempt_at)}</td>
                <td>
                  <button type="button" onClick={() => void retry(delivery)}>
                    Retry<span className="visually-hidden"> delivery {delivery.id}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager {...paging} label="Pages of deliveries" />
    </section>
  );
}
