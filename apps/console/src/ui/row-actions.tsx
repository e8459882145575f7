import type { ReactNode } from 'react';

/**
 * Edit and Delete for one table row; `name` completes each button's accessible name ("Edit
 * Google"), since every row has the same visible words.
 */
export function RowActions(props: {
  name: string;
  onEdit: () => void;
  onDelete: () => void;
  children?: ReactNode;
}): ReactNode {
  return (
    <>
      {props.children}
      <button type="button" onClick={props.onEdit}>
        Edit<span className="visually-hidden"> {props.name}</span>
      </button>{' '}
      <button type="button" className="danger" onClick={props.onDelete}>
        Delete<span className="visually-hidden"> {props.name}</span>
      </button>
    </>
  );
}
