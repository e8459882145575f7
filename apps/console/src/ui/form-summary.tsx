import { useEffect, useRef, type ReactNode } from 'react';
import type { FormState } from './form-state';

/**
 * The form's error summary (GOV.UK pattern): focused when a submit fails, with the problem's
 * title, detail, the field problems no field shows, and the request id.
 */
export function FormSummary(props: { form: FormState; fields: readonly string[] }): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const { error } = props.form;
  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  if (!error) return null;
  const rest = props.form.unmatched(props.fields);
  return (
    <div ref={ref} className="panel panel-error" role="alert" tabIndex={-1}>
      <p className="panel-title">{error.title}</p>
      {error.detail !== undefined && <p>{error.detail}</p>}
      {rest.length > 0 && (
        <ul>
          {rest.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {error.requestId !== undefined && (
        <p className="muted">
          Request id: <code>{error.requestId}</code>
        </p>
      )}
    </div>
  );
}
