import { t } from '../i18n';
import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action that asks first, in place: the button turns into the question with
 * `confirmLabel` and `Cancel`. Focus moves to the question's answer and back on cancel.
 */
export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; disabled: boolean; onConfirm: () => void; className?: string }) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (returnFocus.current) askRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" ref={askRef} className={props.className ?? 'danger'} disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={props.question}>
      <span className="confirm-question">{props.question}</span>
      <button
        type="button"
        ref={confirmRef}
        className={props.className ?? 'danger'}
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.confirmLabel}
      </button>
      <button
        type="button"
        className="small"
        onClick={() => {
          returnFocus.current = true;
          setAsking(false);
        }}
      >
        {t('settings.cancel')}
      </button>
    </span>
  );
}
