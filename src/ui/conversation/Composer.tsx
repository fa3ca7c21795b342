import { useState, type KeyboardEvent } from 'react';
import { LIMITS } from '../../protocol';

/** Enter sends; Shift+Enter makes a new line; Enter while an IME is composing does neither. */
export function Composer({ onSend }: { onSend: (text: string) => void }) {
  const [text, setText] = useState('');
  const tooLong = [...text].length > LIMITS.textMaxChars;
  const canSend = text.trim().length > 0 && !tooLong;

  function send() {
    if (!canSend) return;
    onSend(text);
    setText('');
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
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
      <label className="visually-hidden" htmlFor="message-input">
        Message
      </label>
      <textarea
        id="message-input"
        value={text}
        rows={1}
        placeholder="Write a message"
        onChange={(e) => setText(e.target.value)}
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
