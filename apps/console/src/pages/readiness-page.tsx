import type { ReactNode } from 'react';
import { useApi } from '../api/api-context';
import { StatusBadge } from '../ui/status-badge';
import { useResource } from '../ui/use-resource';

interface Report {
  status: number;
  body: Record<string, unknown> | undefined;
}

async function readyz(baseUrl: string): Promise<Report> {
  const response = await fetch(`${baseUrl}/readyz`, { credentials: 'omit' });
  const body = (await response.json().catch(() => undefined)) as
    Record<string, unknown> | undefined;
  return { status: response.status, body };
}

function Plane(props: { name: string; url: string }): ReactNode {
  const report = useResource(() => readyz(props.url), props.url);
  const state = report.error ? 'fail' : report.data?.status === 200 ? 'ok' : 'fail';
  return (
    <section className="panel" aria-labelledby={`ready-${props.name}`}>
      <h2 id={`ready-${props.name}`}>{props.name}</h2>
      <p className="mono">{props.url}/readyz</p>
      {report.loading && !report.data ? (
        <p role="status">Checking…</p>
      ) : (
        <p>
          <StatusBadge status={state} />
          {report.error && <span> {report.error.title}</span>}
        </p>
      )}
      {report.data?.body && <pre className="mono">{JSON.stringify(report.data.body, null, 2)}</pre>}
      <button type="button" onClick={report.reload}>
        Check again
      </button>
    </section>
  );
}

/** `/readyz` of both planes: the control plane (this origin) and the data plane. */
export function ReadinessPage(): ReactNode {
  const { dataPlaneUrl } = useApi();
  return (
    <div className="grid">
      <Plane name="Control plane" url={window.location.origin} />
      <Plane name="Data plane" url={dataPlaneUrl} />
    </div>
  );
}
