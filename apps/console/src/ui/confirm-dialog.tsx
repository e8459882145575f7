import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/**
 * Confirms a destructive action (alertdialog): the consequences, optionally a typed confirmation
 * ("Type acme to confirm", the action enabled only on an exact match), Cancel focused first,
 * Escape cancels, Tab stays inside, and focus returns to the control that opened it.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** When set, the operator types this exact text to enable the action. */
  typeToConfirm?: string;
  onConfirm: () => void | Promise<void>;
  onCancel: () => void;
}): ReactNode {
  const titleId = useId();
  const bodyId = useId();
  const inputId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const [typed, setTyped] = useState('');
  const [pending, setPending] = useState(false);
  const armed = props.typeToConfirm === undefined || typed === props.typeToConfirm;

  useEffect(() => {
    const opener = document.activeElement;
    cancelRef.current?.focus();
    return () => {
      if (opener instanceof HTMLElement) opener.focus();
    };
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      props.onCancel();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = Array.from(
      dialogRef.current.querySelectorAll<HTMLElement>('button:not([disabled]), input, select'),
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  async function confirm(): Promise<void> {
    if (!armed || pending) return;
    setPending(true);
    try {
      await props.onConfirm();
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="backdrop">
      <div
        ref={dialogRef}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div id={bodyId}>{props.children}</div>
        {props.typeToConfirm !== undefined && (
          <div className="field">
            <label htmlFor={inputId}>
              Type <strong>{props.typeToConfirm}</strong> to confirm
            </label>
            <input
              id={inputId}
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(event) => {
                setTyped(event.target.value);
              }}
            />
          </div>
        )}
        <div className="actions">
          <button ref={cancelRef} type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="danger"
            disabled={!armed || pending}
            onClick={() => void confirm()}
          >
            {pending ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
