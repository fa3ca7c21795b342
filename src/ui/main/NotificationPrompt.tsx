import { profileKey } from '../../state/profile';
import { t } from '../../i18n';
import { useState } from 'react';
import { desktopApi } from '../../desktop/bridge';

const DISMISSED_KEY = profileKey('tidings.notificationsPrompt');

function shouldAsk(): boolean {
  // The desktop app shows native notifications without asking the web's permission.
  if (desktopApi()) return false;
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
    <div className="prompt" role="region" aria-label={t('prompt.region')}>
      <p>{t('prompt.text')}</p>
      <div className="prompt-actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            void Notification.requestPermission().finally(done);
          }}
        >
          {t('prompt.turnOn')}
        </button>
        <button type="button" className="quiet" onClick={done}>
          {t('prompt.notNow')}
        </button>
      </div>
    </div>
  );
}
