import { t } from '../../i18n';
import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS, type Draft } from '../../protocol';
import type { ReplyTarget } from '../../state/connection';
import { mentionAt } from './mentions';
import { MentionPicker, useMentionOptions, type MentionCandidate } from './MentionPicker';

/** How long typing pauses before the draft is saved (and synced to the user's other devices). */
const DRAFT_SAVE_MS = 700;

/** A phone or tablet: the pointer is a finger. */
const touchScreen = () => typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

/**
 * The message input. Enter sends; Shift+Enter makes a new line; Enter while an IME is composing
 * does neither. It holds the conversation's synced draft: a draft typed on another device shows
 * here unless this device has unsaved typing of its own (the last writer wins).
 */
export function Composer(props: {
  draft: Draft | null;
  replyTo: ReplyTarget | null;
  onCancelReply: () => void;
  /** `picked`: user name → id of the people chosen in the @ picker. */
  onSend: (text: string, picked: ReadonlyMap<string, string>) => void;
  onDraft: (text: string) => void;
  onTyped: () => void;
  /** Groups: members whose name starts with a query, for @mentions. */
  suggest?: (query: string) => Promise<MentionCandidate[]>;
  canMentionAll?: boolean;
}) {
  const { draft, replyTo, onDraft } = props;
  const [text, setText] = useState(draft?.text ?? '');
  const input = useRef<HTMLTextAreaElement>(null);
  const pickerId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const picked = useRef(new Map<string, string>());
  /** Where the caret goes once a picked name is in the input. */
  const caretAfterPick = useRef<number | null>(null);
  const at = props.suggest ? mentionAt(text, caret) : null;
  const open = at !== null && dismissed !== at.start;
  const options = useMentionOptions(open ? at.query : null, props.suggest, props.canMentionAll ?? false);
  const showPicker = open && options.length > 0;
  // The list may shrink under the highlight when the server's answer comes.
  const highlighted = Math.min(active, Math.max(0, options.length - 1));
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

  function pick(c: MentionCandidate) {
    if (!at) return;
    const inserted = `@${c.username} `;
    const next = text.slice(0, at.start) + inserted + text.slice(caret);
    if (c.id) picked.current.set(c.username, c.id);
    const pos = at.start + inserted.length;
    caretAfterPick.current = pos;
    change(next, pos);
  }

  // The caret moves in the same task as the render that inserted the name: a frame later, keys
  // typed meanwhile would already be in the input, and the caret would land in their middle.
  useLayoutEffect(() => {
    const pos = caretAfterPick.current;
    if (pos === null) return;
    caretAfterPick.current = null;
    input.current?.setSelectionRange(pos, pos);
  }, [text]);

  function change(value: string, caretAt?: number) {
    setText(value);
    setCaret(caretAt ?? input.current?.selectionStart ?? value.length);
    setActive(0);
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
    props.onSend(text, picked.current);
    picked.current = new Map();
    synced.current = '';
    setText('');
    onDraft('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (showPicker) {
      const chosen = options[highlighted];
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((highlighted + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && chosen && !e.nativeEvent.isComposing) {
        e.preventDefault();
        pick(chosen);
        return;
      }
      if (e.key === 'Escape' && at) {
        e.preventDefault();
        setDismissed(at.start);
        return;
      }
    }
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
            <span className="muted">{t('composer.replyingTo')} </span>
            <bdi className="quote-sender">{replyTo.senderName}</bdi>
            <span className="quote-text" dir="auto">
              {replyTo.text}
            </span>
          </div>
          <button type="button" className="quiet" aria-label={t('composer.cancelReply')} onClick={props.onCancelReply}>
            ×
          </button>
        </div>
      )}
      <label className="visually-hidden" htmlFor="message-input">
        {t('composer.label')}
      </label>
      {showPicker && <MentionPicker id={pickerId} options={options} active={highlighted} onPick={pick} />}
      <textarea
        ref={input}
        id="message-input"
        value={text}
        rows={1}
        placeholder={t('composer.placeholder')}
        onChange={(e) => change(e.target.value, e.target.selectionStart)}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        aria-autocomplete={props.suggest ? 'list' : undefined}
        aria-controls={showPicker ? pickerId : undefined}
        aria-activedescendant={showPicker ? `${pickerId}-${highlighted}` : undefined}
        // Typing starts at once with a keyboard; on a touch screen focusing would pop up the
        // on-screen keyboard over the conversation being opened to read.
        autoFocus={!touchScreen()}
      />
      {tooLong && (
        <span role="alert" className="error">
          {t('composer.tooLong', { max: LIMITS.textMaxChars })}
        </span>
      )}
      <button type="submit" className="primary" disabled={!canSend}>
        {t('composer.send')}
      </button>
    </form>
  );
}
