import type { ComponentChildren } from 'preact';

/** A message for the reader: `error` when something failed, `ok` when a change went through. */
export function Notice(props: { kind: 'info' | 'ok' | 'error' | 'warning'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function Loading() {
  return <p class="loading">Loading…</p>;
}
