import type { ReactNode } from 'react';

/** A form's submit button (its pending label while the request runs) and an optional Cancel. */
export function FormActions(props: {
  pending: boolean;
  label: string;
  pendingLabel: string;
  onCancel?: () => void;
}): ReactNode {
  return (
    <div className="actions">
      <button type="submit" className="primary" disabled={props.pending}>
        {props.pending ? props.pendingLabel : props.label}
      </button>
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
