import { t } from '../../i18n';
import { useId, useState, type FormEvent } from 'react';
import { useSession } from '../../state/session';
import { createAccount, deviceName, signIn } from '../../sync/api';
import { describeError } from '../words';

/** The server that served this page, or the bundled server in the desktop app. */
function defaultServer(): string {
  const bundled = (window as { tidings?: { serverUrl?: string } }).tidings?.serverUrl;
  if (bundled) return bundled;
  return location.protocol.startsWith('http') ? location.origin : 'http://127.0.0.1:3000';
}

export function SignIn() {
  const endedBecause = useSession((s) => s.endedBecause);
  const complete = useSession((s) => s.signIn);
  const [server, setServer] = useState(defaultServer);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState<'signin' | 'create' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();

  async function submit(mode: 'signin' | 'create', e?: FormEvent) {
    e?.preventDefault();
    setBusy(mode);
    setError(null);
    try {
      // "127.0.0.1:3000" or "chat.example.org" mean the web address people would type.
      const typed = server.trim();
      const serverUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `http://${typed}`).origin;
      const body = { username, password, deviceName: deviceName(navigator.userAgent) };
      const session =
        mode === 'create'
          ? await createAccount(serverUrl, { ...body, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) })
          : await signIn(serverUrl, body);
      complete({ ...session, serverUrl });
    } catch (err) {
      setError(err instanceof TypeError ? t('signIn.badUrl') : describeError(err));
      setBusy(null);
    }
  }

  return (
    <main className="sign-in">
      <form className="card" onSubmit={(e) => void submit('signin', e)}>
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('signIn.intro')}</p>
        {endedBecause && !error && <p className="notice">{endedBecause}</p>}
        <label>
          {t('signIn.server')}
          <input value={server} onChange={(e) => setServer(e.target.value)} inputMode="url" autoComplete="url" required />
        </label>
        <label>
          {t('signIn.username')}
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" required />
        </label>
        <label>
          {t('signIn.password')}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <label>
          {t('signIn.displayName')}
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} aria-describedby={hintId} autoComplete="name" />
        </label>
        <p id={hintId} className="hint">
          {t('signIn.displayNameHint')}
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy !== null}>
            {t('signIn.signIn')}
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void submit('create')}>
            {t('signIn.createAccount')}
          </button>
        </div>
      </form>
    </main>
  );
}
