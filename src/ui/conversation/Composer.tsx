import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS, type Draft } from '../../protocol';

/** How long typing pauses before the draft is saved (and synced to the user's other devices). */
const DRAFT_SAVE_MS = 700;

export interface ReplyTarget {
  seq: number;
  senderName: string;
  text: string;
}

/**
 * The message input. Enter sends; Shift+Enter makes a new line; Enter while an IME is composing
 * does neither. It holds the conversation's synced draft: a draft typed on another device shows
 * here unless this device has unsaved typing of its own (the last writer wins).
 */
export function Composer(props: {
  draft: Draft | null;
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
  onSend: (text: string) => void;
  onDraft: (text: string) => void;
  onTyped: () => void;
}) {
  const { draft, replyTo, onDraft } = props;
  const [text, setText] = useState(draft?.text ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  /** The draft text this input last took from the store or gave to it. */
  const synced = useRef(draft?.text ?? '');
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const tooLong = [...text].length > LIMITS.textMaxChars;
  const canSend = text.trim().length > 0 && !tooLong;

  // A draft from another device replaces the text only if nothing unsaved was typed here.
  useEffect(() => {
    const incoming = draft?.text ?? '';
    setText((current) => (current === synced.current ? incoming : current));
    synced.current = incoming;
  }, [draft?.text]);

  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);

  // Leaving the conversation saves what was typed at once.
  const latestOnDraft = useRef(onDraft);
  latestOnDraft.current = onDraft;
  const latestText = useRef(text);
  latestText.current = text;
  useEffect(
    () => () => {
      if (saveTimer.current) {
        clearTimeout(saveTimer.current);
        latestOnDraft.current(latestText.current);
      }
    },
    [],
  );

  function change(value: string) {
    setText(value);
    if (value.trim()) props.onTyped();
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => {
      saveTimer.current = null;
      synced.current = value;
      onDraft(value);
    }, DRAFT_SAVE_MS);
  }

  function send() {
    if (!canSend) return;
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = null;
    props.onSend(text);
    synced.current = '';
    setText('');
    onDraft('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && replyTo) {
      e.preventDefault();
      props.onCancelReply();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      {replyTo && (
        <div className="replying">
          <div className="replying-text">
            <span className="muted">Replying to </span>
            <bdi className="quote-sender">{replyTo.senderName}</bdi>
            <span className="quote-text" dir="auto">
              {replyTo.text}
            </span>
          </div>
          <button type="button" className="quiet" aria-label="Cancel reply" onClick={props.onCancelReply}>
            ×
          </button>
        </div>
      )}
      <label className="visually-hidden" htmlFor="message-input">
        Message
      </label>
      <textarea
        ref={input}
        id="message-input"
        value={text}
        rows={1}
        placeholder="Write a message"
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      {tooLong && (
        <span role="alert" className="error">
          Messages can be at most {LIMITS.textMaxChars} characters.
        </span>
      )}
      <button type="submit" className="primary" disabled={!canSend}>
        Send
      </button>
    </form>
  );
}
