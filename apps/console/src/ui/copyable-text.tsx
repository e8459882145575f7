import { useId, useState, type ReactNode } from 'react';

/** A value that is not secret (a setup link, a callback URL): read-only, with an announced Copy. */
export function CopyableText(props: { label: string; value: string }): ReactNode {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} className="mono" readOnly value={props.value} />
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(props.value).then(() => {
              setCopied(true);
            })
          }
        >
          Copy<span className="visually-hidden"> {props.label}</span>
        </button>
        <span role="status" className="muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </div>
  );
}
