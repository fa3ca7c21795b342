import { t } from '../../i18n';
import { useState } from 'react';
import { desktopApi } from '../../desktop/bridge';

/** Whether this device can show Tidings' notifications, and if not, why. */
export type NotificationsHere = 'native' | 'granted' | 'default' | 'denied' | 'unsupported';

export function notificationsHere(): NotificationsHere {
  // The desktop app shows native notifications without the web's permission.
  if (desktopApi()) return 'native';
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

/**
 * What is true of notifications on this device, and what to do about it: Do not disturb silences
 * every device, but a browser that was never asked, was refused, or cannot show them shows none
 * anyway, whatever the switch says.
 */
export function NotificationsHereLine() {
  const [state, setState] = useState(notificationsHere);
  if (state === 'native' || state === 'granted') return null;
  return (
    <p className="muted hint-line notifications-here">
      {state === 'default' && (
        <>
          {t('settings.notifyOff')}{' '}
          <button type="button" className="link" onClick={() => void Notification.requestPermission().then(() => setState(notificationsHere()))}>
            {t('prompt.turnOn')}
          </button>
        </>
      )}
      {state === 'denied' && t('settings.notifyBlocked')}
      {state === 'unsupported' && t('settings.notifyUnsupported')}
    </p>
  );
}
