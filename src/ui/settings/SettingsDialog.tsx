import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useRef, useState } from 'react';
import { useClient } from '../client-context';
import { ConfirmButton } from '../ConfirmButton';
import { DevicesList } from './DevicesList';
import { DndSection } from './DndSection';
import { endSession } from './end-session';
import { loadTheme, saveTheme, type Theme } from './theme';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** The account's and this device's settings. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const [theme, setTheme] = useState(loadTheme);
  const unsent = useLiveQuery(() => client.db.outbox.count(), [client]) ?? 0;

  useEffect(() => {
    ref.current?.showModal();
    closeRef.current?.focus();
  }, []);

  const signOut = () => void endSession(client, { tellServer: true });

  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} className="dialog settings">
      <div className="dialog-body">
        <h2 id={id}>Settings</h2>
        <p className="muted dialog-subtitle">
          <bdi>{client.session.user.displayName}</bdi> · @{client.session.user.username}
        </p>
        <DndSection />
        <section aria-labelledby={`${id}-devices`}>
          <h3 id={`${id}-devices`}>Devices</h3>
          <DevicesList />
        </section>
        <div role="radiogroup" aria-labelledby={`${id}-theme`} className="radios inline">
          <span id={`${id}-theme`} className="radios-label">
            Theme
          </span>
          {THEMES.map((t) => (
            <label key={t.value} className="radio-inline">
              <input
                type="radio"
                name={`${id}-theme`}
                checked={theme === t.value}
                onChange={() => {
                  setTheme(t.value);
                  saveTheme(t.value);
                }}
              />
              {t.label}
            </label>
          ))}
        </div>
        <div className="row dialog-actions">
          {unsent > 0 ? (
            <ConfirmButton
              label="Sign out"
              question={`${unsent} ${unsent === 1 ? 'message has' : 'messages have'} not been sent yet. Signing out deletes ${unsent === 1 ? 'it' : 'them'} from this device.`}
              confirmLabel="Sign out anyway"
              disabled={false}
              onConfirm={signOut}
            />
          ) : (
            <button type="button" className="danger" onClick={signOut}>
              Sign out
            </button>
          )}
          <button type="button" ref={closeRef} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
