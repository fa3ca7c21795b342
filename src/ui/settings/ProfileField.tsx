import { t } from '../../i18n';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { LIMITS } from '../../protocol';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { useOwnProfile } from '../use-users';
import { describeError, fieldProblem } from '../words';

/**
 * The person's display name, as everyone they chat with sees it: changed here, it reaches all
 * of them (and this account's other devices) through the server. Empty shows the user name.
 */
export function ProfileField() {
  const client = useClient();
  const connection = useUi((s) => s.connection);
  const profile = useOwnProfile();
  const [name, setName] = useState(profile.displayName);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const hintId = useId();
  // Changed on another device while this field is untouched: show the new one.
  const [shown, setShown] = useState(profile.displayName);
  useEffect(() => {
    if (profile.displayName !== shown) {
      if (name === shown) setName(profile.displayName);
      setShown(profile.displayName);
    }
  }, [profile.displayName, shown, name]);

  const trimmed = name.trim();
  const changed = trimmed !== profile.displayName;

  async function save(e: FormEvent) {
    e.preventDefault();
    const problem = fieldProblem('displayName', trimmed);
    if (problem) {
      setNote({ error: true, text: problem });
      return;
    }
    setBusy(true);
    setNote(null);
    try {
      await client.setDisplayName(trimmed);
      setName(trimmed);
      setNote({ error: false, text: t('settings.nameSaved') });
    } catch (err) {
      setNote({ error: true, text: describeError(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="profile-field" onSubmit={(e) => void save(e)}>
      <label>
        {t('settings.displayName')}
        <span className="row">
          <input
            value={name}
            maxLength={LIMITS.displayNameMax}
            placeholder={profile.username}
            aria-describedby={hintId}
            onChange={(e) => {
              setName(e.target.value);
              setNote(null);
            }}
            autoComplete="name"
          />
          <button type="submit" className="small" disabled={busy || !changed || connection !== 'connected'}>
            {t('settings.saveDisplayName')}
          </button>
        </span>
      </label>
      <p id={hintId} className="muted hint">
        {t('settings.displayNameHint')}
      </p>
      {note && (
        <p role={note.error ? 'alert' : 'status'} className={note.error ? 'error' : 'muted'}>
          {note.text}
        </p>
      )}
    </form>
  );
}
