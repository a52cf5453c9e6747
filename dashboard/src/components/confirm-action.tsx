import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNote } from './error-note.js';

interface Props {
  label: string;
  /** The question, with what it would do (may ask the relay first, e.g. a dry-run count). */
  ask: () => Promise<{ question: string; nothing?: boolean }>;
  act: () => Promise<string>;
  disabled?: boolean;
  danger?: boolean;
  /** The outcome, for a page that shows it elsewhere (this button may be gone once it is done). */
  onOutcome?: (text: string) => void;
}

/**
 * A button that asks before it acts, in the page (no dialog box): the question says how many,
 * Confirm does it, Cancel or Escape steps back. The outcome stays on screen and is announced.
 */
export function ConfirmAction({ label, ask, act, disabled, danger, onOutcome }: Props) {
  const [state, setState] = useState<'idle' | 'asking' | 'confirm' | 'working'>('idle');
  const [question, setQuestion] = useState('');
  const [nothing, setNothing] = useState(false);
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<unknown>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (state === 'confirm') confirmRef.current?.focus();
  }, [state]);

  const open = async (): Promise<void> => {
    setError(null);
    setOutcome('');
    setState('asking');
    try {
      const q = await ask();
      setQuestion(q.question);
      setNothing(q.nothing ?? false);
      setState('confirm');
    } catch (err) {
      setError(err);
      setState('idle');
    }
  };
  const cancel = (): void => {
    setState('idle');
    openRef.current?.focus();
  };
  const confirm = async (): Promise<void> => {
    setState('working');
    try {
      const text = await act();
      setOutcome(text);
      onOutcome?.(text);
    } catch (err) {
      setError(err);
    }
    setState('idle');
  };

  return (
    <span class="confirm" onKeyDown={(e) => e.key === 'Escape' && state === 'confirm' && cancel()}>
      {state === 'confirm' ? (
        <span class="confirm-box" role="group" aria-label={label}>
          <span>{question}</span>{' '}
          {nothing ? null : (
            <button type="button" ref={confirmRef} class={danger ? 'danger' : 'primary'} onClick={confirm}>
              Confirm
            </button>
          )}{' '}
          <button type="button" ref={nothing ? confirmRef : undefined} onClick={cancel}>
            {nothing ? 'OK' : 'Cancel'}
          </button>
        </span>
      ) : (
        <button type="button" ref={openRef} disabled={disabled || state !== 'idle'} onClick={open}>
          {state === 'asking' ? 'Counting…' : state === 'working' ? 'Working…' : label}
        </button>
      )}
      <span class="outcome" role="status" aria-live="polite">
        {outcome}
      </span>
      <ErrorNote error={error} title={label} />
    </span>
  );
}
