import type { ReactNode } from 'react';

const ICONS: Record<string, string> = {
  active: '●',
  provisioning: '◌',
  deleting: '◌',
  failed: '✕',
  failing: '✕',
  disabled: '⊘',
  invited: '✉',
  ok: '●',
  delivered: '●',
  pending: '◌',
  delivering: '◌',
  fail: '✕',
};

/** A status as icon and text (never colour alone). */
export function StatusBadge(props: { status: string }): ReactNode {
  return (
    <span className={`badge badge-${props.status}`}>
      <span aria-hidden="true">{ICONS[props.status] ?? '•'} </span>
      {props.status}
    </span>
  );
}
