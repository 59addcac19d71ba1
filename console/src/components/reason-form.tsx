import { useState } from 'preact/hooks';

/** Asks for a reason (or a text) before a change: the audit log records it with the person. */
export function ReasonForm(props: {
  label: string;
  confirm: string;
  initial?: string;
  hint?: string;
  busy?: boolean;
  onConfirm(text: string): void;
  onCancel(): void;
}) {
  const [text, setText] = useState(props.initial ?? '');
  const id = `reason-${props.label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <form
      class="reason-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (text.trim() !== '') props.onConfirm(text.trim());
      }}
    >
      <label for={id}>{props.label}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <textarea
        id={id}
        dir="auto"
        rows={3}
        value={text}
        onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
        required
      />
      <div class="buttons">
        <button type="submit" class="primary" disabled={props.busy || text.trim() === ''}>
          {props.confirm}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
