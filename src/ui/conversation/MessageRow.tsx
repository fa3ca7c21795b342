import { memo } from 'react';
import type { StoredMessage } from '../../store/db';
import { clockTime } from '../words';

export type DeliveryState = 'Sending' | 'Sent' | 'Delivered' | 'Failed';

export function deliveryState(m: StoredMessage, peerDeliveredSeq: number): DeliveryState {
  if (m.pending === 'failed') return 'Failed';
  if (m.pending === 'sending' || m.seq === null) return 'Sending';
  return m.seq <= peerDeliveredSeq ? 'Delivered' : 'Sent';
}

export const MessageRow = memo(function MessageRow(props: {
  message: StoredMessage;
  mine: boolean;
  state: DeliveryState | null;
  /** Shown above the first of a run of someone else's messages in a group. */
  senderName?: string | null;
  onRetry: (key: string) => void;
}) {
  const { message: m, mine, state, senderName } = props;
  return (
    <article className={`message ${mine ? 'mine' : 'theirs'}${senderName ? ' run-start' : ''}`}>
      <div className="bubble">
        {senderName && (
          <bdi className="sender" dir="auto">
            {senderName}
          </bdi>
        )}
        <p className="text" dir="auto">
          {m.text}
        </p>
        <footer>
          <time dateTime={new Date(m.serverTime ?? m.createdAt).toISOString()}>{clockTime(m.serverTime ?? m.createdAt)}</time>
          {state && <span className={`state ${state.toLowerCase()}`}>{state}</span>}
          {state === 'Failed' && (
            <button type="button" className="link" onClick={() => props.onRetry(m.key)} title={m.error}>
              Retry
            </button>
          )}
        </footer>
      </div>
    </article>
  );
});
