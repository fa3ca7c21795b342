import { useState } from 'react';

const DISMISSED_KEY = 'tidings.notificationsPrompt';

function shouldAsk(): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return false;
  try {
    return localStorage.getItem(DISMISSED_KEY) === null;
  } catch {
    return true;
  }
}

/** Asks once, with the reason, before the browser's own permission prompt appears. */
export function NotificationPrompt() {
  const [ask, setAsk] = useState(shouldAsk);
  if (!ask) return null;
  const done = () => {
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Private modes may refuse storage; the prompt then comes back next time.
    }
    setAsk(false);
  };
  return (
    <div className="prompt" role="region" aria-label="Desktop notifications">
      <p>Get a desktop notification when a message arrives while Tidings is in the background.</p>
      <div className="prompt-actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            void Notification.requestPermission().finally(done);
          }}
        >
          Turn on notifications
        </button>
        <button type="button" className="quiet" onClick={done}>
          Not now
        </button>
      </div>
    </div>
  );
}
