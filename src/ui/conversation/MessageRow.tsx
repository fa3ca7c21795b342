import { t } from '../../i18n';
import { memo, useEffect, useMemo, useRef, useState, type MouseEvent, type PointerEvent } from 'react';
import type { StoredMessage } from '../../store/db';
import { FINAL_FAILURES } from '../../sync/outbox';
import type { NameOf } from '../system-lines';
import { clockTime } from '../words';
import { largeEmojiCount } from './emoji-only';
import { linkify } from './linkify';
import { LongPress } from './long-press';
import { splitMentions } from './mentions';
import { MessageActions, type MessageActionHandlers, type MessageActionsHandle } from './MessageActions';

export type DeliveryState = 'Sending' | 'Sent' | 'Delivered' | 'Read' | 'Failed';
const stateKey = { Sending: 'sending', Sent: 'sent', Delivered: 'delivered', Read: 'read', Failed: 'failed' } as const;

/** One-to-one: the other person's devices stored it (`Delivered`) or they read it (`Read`). */
export function deliveryState(m: StoredMessage, peer: { deliveredSeq: number; readSeq: number } | null): DeliveryState {
  if (m.pending === 'failed') return 'Failed';
  if (m.pending === 'sending' || m.seq === null) return 'Sending';
  if (!peer) return 'Sent';
  if (m.seq <= peer.readSeq) return 'Read';
  return m.seq <= peer.deliveredSeq ? 'Delivered' : 'Sent';
}

/** `Read by N`, and on click who they are. */
function ReadBy({ readers, nameOf }: { readers: readonly string[]; nameOf: NameOf }) {
  const [open, setOpen] = useState(false);
  const names = readers.map(nameOf);
  return (
    <span className="read-by">
      <button
        type="button"
        className="link"
        aria-expanded={open}
        title={names.join(', ')}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
        onBlur={() => setOpen(false)}
      >
        {t('message.readBy', { count: readers.length })}
      </button>
      {open && (
        <ul className="readers" aria-label={t('message.readByList')}>
          {names.map((n, i) => (
            <li key={readers[i]}>
              <bdi>{n}</bdi>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

/**
 * Right-click (a mouse) and long-press (a finger) on a message open its menu where they happened,
 * as in Telegram; the `More actions` button stays for keyboards and screen readers. A right-click
 * on a link, or on text the person selected, keeps the browser's own menu (to copy them).
 */
function useMenuGestures(enabled: boolean) {
  const actions = useRef<MessageActionsHandle>(null);
  const press = useRef<LongPress | null>(null);
  press.current ??= new LongPress((x, y) => actions.current?.openAt(x, y));
  /** The click that ends a long press is not a tap on what is under the finger. */
  const swallowClick = useRef(false);
  useEffect(() => () => press.current?.cancel(), []);
  if (!enabled) return { actions, bubble: {} };
  const bubble = {
    onContextMenu: (e: MouseEvent<HTMLDivElement>) => {
      const target = e.target as Element;
      const selected = window.getSelection();
      if (target.closest('a[href]') || (selected && !selected.isCollapsed && e.currentTarget.contains(selected.anchorNode))) return;
      e.preventDefault();
      actions.current?.openAt(e.clientX, e.clientY);
    },
    onPointerDown: (e: PointerEvent<HTMLDivElement>) => {
      swallowClick.current = false;
      if (e.pointerType !== 'mouse') press.current?.down(e.clientX, e.clientY);
    },
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => press.current?.move(e.clientX, e.clientY),
    onPointerUp: () => {
      if (press.current?.up()) swallowClick.current = true;
    },
    onPointerCancel: () => press.current?.cancel(),
    onClickCapture: (e: MouseEvent<HTMLDivElement>) => {
      if (!swallowClick.current) return;
      swallowClick.current = false;
      e.preventDefault();
      e.stopPropagation();
    },
  };
  return { actions, bubble };
}

export const MessageRow = memo(function MessageRow(props: {
  message: StoredMessage;
  mine: boolean;
  state: DeliveryState | null;
  /** Own messages in groups below the inbox threshold: who has read it (empty: nobody yet). */
  readers: readonly string[] | null;
  /** Shown above the first of a run of someone else's messages in a group. */
  senderName?: string | null;
  nameOf: NameOf;
  me: string;
  /** `You recalled a message` / `NAME recalled a message`; null when it was not recalled. */
  recalledText: string | null;
  /** Briefly marked after a jump to it from a reply. */
  highlighted: boolean;
  /** The user names it @mentions (to highlight), whether it mentions everyone, and whether the reader. */
  mentioned: { names: ReadonlySet<string>; all: boolean; me: boolean } | null;
  /** The recall window as the server set it, and the server's clock offset. */
  recallWindowMs: number;
  clockOffsetMs: number;
  /** The current user owns or admins this group (may recall any message). */
  moderator: boolean;
  handlers: MessageActionHandlers & { onRetry: (key: string) => void; onDiscard: (key: string) => void; onJump: (seq: number) => void };
}) {
  const { message: m, mine, state, senderName, handlers } = props;
  const [actionError, setActionError] = useState<string | null>(null);
  const gestures = useMenuGestures(m.recalledBy === null);
  const emoji = useMemo(() => largeEmojiCount(m.text), [m.text]);
  if (m.recalledBy !== null) {
    // The text is erased from the store; what stays is who recalled it, and no actions or state.
    // A reply's quote still leads here, so the jump marks it like any message.
    return (
      <article className={`message recalled ${mine ? 'mine' : 'theirs'}${props.highlighted ? ' highlighted' : ''}`} data-seq={m.seq ?? undefined}>
        <p className="recalled-note" dir="auto">
          {props.recalledText}
        </p>
      </article>
    );
  }
  const quote = m.replyTo;
  return (
    <article
      className={`message ${mine ? 'mine' : 'theirs'}${senderName ? ' run-start' : ''}${props.highlighted ? ' highlighted' : ''}${props.mentioned?.me ? ' mentions-me' : ''}`}
      data-seq={m.seq ?? undefined}
    >
      <div className={`bubble${emoji > 0 ? ` emoji emoji-${emoji}` : ''}`} {...gestures.bubble}>
        {senderName && (
          <bdi className="sender" dir="auto">
            {senderName}
          </bdi>
        )}
        {quote && (
          <button type="button" className="quote" onClick={() => handlers.onJump(quote.seq)}>
            <bdi className="quote-sender">{quote.senderId === props.me ? t('message.you') : props.nameOf(quote.senderId)}</bdi>
            <span className="quote-text" dir="auto">
              {quote.recalled ? t('message.quoteRecalled') : quote.text}
            </span>
          </button>
        )}
        {props.mentioned?.me && <span className="visually-hidden">{t('message.mentionsYou')}</span>}
        <p className="text" dir="auto">
          {props.mentioned
            ? splitMentions(m.text, props.mentioned.names, props.mentioned.all).map((part, i) =>
                part.mention ? (
                  <span key={i} className="mention">
                    {part.text}
                  </span>
                ) : (
                  <span key={i}>{linkify(part.text)}</span>
                ),
              )
            : linkify(m.text)}
        </p>
        <footer>
          <time dateTime={new Date(m.serverTime ?? m.createdAt).toISOString()}>{clockTime(m.serverTime ?? m.createdAt)}</time>
          {/* In a group, who read it says more than `Sent`. */}
          {state && !(state === 'Sent' && props.readers && props.readers.length > 0) && <span className={`state ${state.toLowerCase()}`}>{t(`message.${stateKey[state]}`)}</span>}
          {props.readers && props.readers.length > 0 && <ReadBy readers={props.readers} nameOf={props.nameOf} />}
          {state === 'Failed' &&
            (FINAL_FAILURES.has(m.errorCode ?? 'timeout') ? (
              <button type="button" className="link" onClick={() => handlers.onDiscard(m.key)} aria-describedby={`${m.key}-why`}>
                {t('message.discard')}
              </button>
            ) : (
              <button type="button" className="link" onClick={() => handlers.onRetry(m.key)} aria-describedby={`${m.key}-why`}>
                {t('message.retry')}
              </button>
            ))}
          {/* In the footer's line on a phone; beside the bubble on wider screens (styles.css). */}
          <MessageActions
            ref={gestures.actions}
            message={m}
            mine={mine}
            moderator={props.moderator}
            recallWindowMs={props.recallWindowMs}
            clockOffsetMs={props.clockOffsetMs}
            handlers={handlers}
            onError={setActionError}
          />
        </footer>
      </div>
      {state === 'Failed' && (
        // Why, in words, where a touch screen shows it too (a tooltip would not).
        <p id={`${m.key}-why`} className="error action-error">
          {t(`message.notSent.${m.errorCode ?? 'timeout'}`)}
        </p>
      )}
      {actionError && (
        <p role="alert" className="error action-error">
          {actionError}
        </p>
      )}
    </article>
  );
});
