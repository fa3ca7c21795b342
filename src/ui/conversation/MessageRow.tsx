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
  onRetry: (key: string) => void;
}) {
  const { message: m, mine, state } = props;
  return (
    <article className={`message ${mine ? 'mine' : 'theirs'}`}>
      <div className="bubble">
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
