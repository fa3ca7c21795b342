import { memo } from 'react';
import type { StoredMessage } from '../../store/db';
import { clockTime } from '../words';
import { MessageActions } from './MessageActions';

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
  /** `You recalled a message` / `NAME recalled a message`; null when it was not recalled. */
  recalledText: string | null;
  /** The current user owns or admins this group (may recall any message). */
  moderator: boolean;
  onRecall: (seq: number) => Promise<void>;
}) {
  const { message: m, mine, state, senderName } = props;
  if (m.recalledBy !== null) {
    // The text is erased from the store; what stays is who recalled it, and no actions or state.
    return (
      <article className={`message recalled ${mine ? 'mine' : 'theirs'}`}>
        <p className="recalled-note" dir="auto">
          {props.recalledText}
        </p>
      </article>
    );
  }
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
      <MessageActions message={m} mine={mine} moderator={props.moderator} onRecall={props.onRecall} />
    </article>
  );
});
