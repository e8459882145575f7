import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A secret shown once (client secret, API key, webhook signing secret): read-only, monospace,
 * Copy with an announced "Copied", and an explicit Done after which it is gone from memory.
 * It never reaches a URL, storage or a cache.
 */
export function SecretOnce(props: {
  label: string;
  secret: string;
  onDone: () => void;
  /** What else to know about it (a rotated secret's overlap). */
  children?: ReactNode;
}): ReactNode {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied(true);
    } catch {
      // Clipboard refused (permissions, insecure context): select it for a manual copy.
      const input = document.getElementById(id);
      if (input instanceof HTMLInputElement) input.select();
    }
  }

  return (
    <section className="panel panel-secret" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {props.label}
      </h3>
      <p>You won’t see this again. Copy it now and store it somewhere safe.</p>
      {props.children}
      <div className="field">
        <label htmlFor={id}>{props.label}</label>
        <input id={id} className="mono" readOnly value={props.secret} />
      </div>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="primary" onClick={props.onDone}>
          Done
        </button>
        <span role="status" className="muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </section>
  );
}
