import { useLiveQuery } from 'dexie-react-hooks';
import { language, LANGUAGES, setLanguage, t, type Language } from '../../i18n';
import { useEffect, useId, useRef, useState } from 'react';
import { useClient } from '../client-context';
import { ConfirmButton } from '../ConfirmButton';
import { DevicesList } from './DevicesList';
import { useOwnProfile } from '../use-users';
import { DndSection } from './DndSection';
import { ProfileField } from './ProfileField';
import { endSession } from './end-session';
import { loadTheme, saveTheme, type Theme } from './theme';

const THEMES = [
  { value: 'system', label: 'settings.system' },
  { value: 'light', label: 'settings.light' },
  { value: 'dark', label: 'settings.dark' },
] as const satisfies readonly { value: Theme; label: string }[];

/** The account's and this device's settings. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  const [theme, setTheme] = useState(loadTheme);
  const unsent = useLiveQuery(() => client.db.outbox.count(), [client]) ?? 0;
  const profile = useOwnProfile();

  useEffect(() => {
    ref.current?.showModal();
    closeRef.current?.focus();
  }, []);

  const signOut = () => void endSession(client, { tellServer: true });

  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} className="dialog settings">
      <div className="dialog-body">
        <h2 id={id}>{t('settings.title')}</h2>
        <p className="muted dialog-subtitle">
          <bdi>{profile.displayName || profile.username}</bdi> · @{profile.username}
        </p>
        <ProfileField />
        <DndSection />
        <section aria-labelledby={`${id}-devices`}>
          <h3 id={`${id}-devices`}>{t('settings.devices')}</h3>
          <DevicesList />
        </section>
        <div role="radiogroup" aria-labelledby={`${id}-theme`} className="radios inline">
          <span id={`${id}-theme`} className="radios-label">
            {t('settings.theme')}
          </span>
          {THEMES.map((th) => (
            <label key={th.value} className="radio-inline">
              <input
                type="radio"
                name={`${id}-theme`}
                checked={theme === th.value}
                onChange={() => {
                  setTheme(th.value);
                  saveTheme(th.value);
                }}
              />
              {t(th.label)}
            </label>
          ))}
        </div>
        <label className="language">
          {t('settings.language')}
          <select value={language()} onChange={(e) => setLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code} lang={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <div className="row dialog-actions">
          {unsent > 0 ? (
            <ConfirmButton
              label={t('settings.signOut')}
              question={t('settings.unsent', { count: unsent })}
              confirmLabel={t('settings.signOutAnyway')}
              disabled={false}
              onConfirm={signOut}
            />
          ) : (
            <button type="button" className="danger" onClick={signOut}>
              {t('settings.signOut')}
            </button>
          )}
          <button type="button" ref={closeRef} onClick={onClose}>
            {t('settings.close')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
