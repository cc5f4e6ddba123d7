// Small shared pieces: empty states, error notes, copy buttons, two-step confirm.
import { useState, type ReactNode } from 'react';
import { useServices } from '../api/services.js';

export function EmptyState(props: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={props.testId ?? 'empty-state'}>
      <p className="empty-title">{props.title}</p>
      {props.children}
    </div>
  );
}

export function ErrorNote(props: { error: string | undefined }) {
  if (!props.error) return null;
  return (
    <p className="error-note" role="alert">
      {props.error}
    </p>
  );
}

export function Loading() {
  return <p className="muted">Loading…</p>;
}

export function CopyButton(props: { text: string; label?: string; testId?: string }) {
  const { copy } = useServices();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const label = props.label ?? 'Copy';
  return (
    <button
      type="button"
      className="small"
      data-testid={props.testId}
      onClick={() =>
        copy(props.text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}

/** A destructive action that needs a second, explicit click (no window.confirm: keyboard and tests friendly). */
export function ConfirmButton(props: {
  label: string;
  confirmLabel: string;
  question: string;
  onConfirm: () => void;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="small danger"
        data-testid={props.testId}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        className="small danger"
        data-testid={props.testId ? `${props.testId}-confirm` : undefined}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </button>
      <button type="button" className="small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
