import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

/**
 * A labelled input with its hint and error tied to it (`aria-describedby`, `aria-invalid`): the
 * visible label is the accessible name, never a placeholder.
 */
export function Field(
  props: InputProps & {
    label: string;
    hint?: string;
    error?: string;
    /** The new value on each change: shorter than `onChange` for a plain state setter. */
    onValue?: (value: string) => void;
  },
): ReactNode {
  const { label, hint, error, onValue, ...input } = props;
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const described = [hint !== undefined && hintId, error !== undefined && errorId]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={error !== undefined ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <span id={hintId} className="hint">
          {hint}
        </span>
      )}
      {error !== undefined && (
        <span id={errorId} className="field-error">
          <span className="visually-hidden">Error: </span>
          {error}
        </span>
      )}
      <input
        id={id}
        {...input}
        {...(onValue && {
          onChange: (event) => {
            onValue(event.target.value);
          },
        })}
        aria-invalid={error !== undefined ? true : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

/** A labelled select over fixed options. */
export function SelectField(props: {
  label: string;
  name: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  error?: string;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.error !== undefined && (
        <span id={`${id}-error`} className="field-error">
          <span className="visually-hidden">Error: </span>
          {props.error}
        </span>
      )}
      <select
        id={id}
        name={props.name}
        value={props.value}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
        aria-describedby={props.error !== undefined ? `${id}-error` : undefined}
      >
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled checkbox, label after the box. */
export function CheckField(props: {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}): ReactNode {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        onChange={(event) => {
          props.onChange(event.target.checked);
        }}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}
