import { useId, type ReactNode } from 'react';

/**
 * An editable list of redirect URIs: one labelled input per URI, Add and Remove buttons. Each
 * row's error comes from the 400 problem's `redirect_uris[i]` (or `redirect_uris.i`) path.
 */
export function RedirectUrisEditor(props: {
  value: string[];
  onChange: (value: string[]) => void;
  errorAt: (index: number) => string | undefined;
}): ReactNode {
  const id = useId();
  const { value } = props;
  function set(index: number, uri: string): void {
    props.onChange(value.map((item, i) => (i === index ? uri : item)));
  }
  return (
    <fieldset className="uris">
      <legend>Redirect URIs</legend>
      {value.map((uri, index) => {
        const error = props.errorAt(index);
        const inputId = `${id}-${String(index)}`;
        return (
          <div className="uri-row" key={index}>
            <label htmlFor={inputId}>Redirect URI {index + 1}</label>
            {error !== undefined && (
              <span id={`${inputId}-error`} className="field-error">
                <span className="visually-hidden">Error: </span>
                {error}
              </span>
            )}
            <input
              id={inputId}
              type="url"
              spellCheck={false}
              value={uri}
              onChange={(event) => {
                set(index, event.target.value);
              }}
              aria-invalid={error !== undefined ? true : undefined}
              aria-describedby={error !== undefined ? `${inputId}-error` : undefined}
            />
            <button
              type="button"
              aria-label={`Remove redirect URI ${String(index + 1)}`}
              onClick={() => {
                props.onChange(value.filter((_, i) => i !== index));
              }}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        onClick={() => {
          props.onChange([...value, '']);
        }}
      >
        Add redirect URI
      </button>
    </fieldset>
  );
}
