import { useEffect, useId, useState, type FormEvent } from 'react';
import { desktopApi } from '../../desktop/bridge';
import { t } from '../../i18n';
import { useSession } from '../../state/session';
import { createAccount, deviceName, signIn } from '../../sync/api';
import { TidingsError } from '../../protocol';
import { describeError } from '../words';

/** The server that served this page, or in the desktop app the configured (or bundled) one. */
function defaultServer(): string {
  const configured = desktopApi()?.serverUrl;
  if (configured) return configured;
  return location.protocol.startsWith('http') ? location.origin : 'http://127.0.0.1:3000';
}

/** The desktop app keeps messages on this computer (its bundled server) or on a server elsewhere. */
type Where = 'bundled' | 'remote';

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
  const whereId = useId();
  const api = desktopApi();
  const [where, setWhere] = useState<Where>('remote');
  // A desktop app that already runs its own server signs in there by default.
  useEffect(() => {
    void api?.bundledServer().then((running) => {
      if (!running) return;
      setWhere('bundled');
      setServer(running.url);
    });
  }, [api]);

  async function submit(mode: 'signin' | 'create', e?: FormEvent) {
    e?.preventDefault();
    setBusy(mode);
    setError(null);
    try {
      const bundled = api !== null && where === 'bundled';
      let serverUrl: string;
      if (bundled) {
        try {
          serverUrl = (await api.startBundledServer()).url;
        } catch {
          throw new TidingsError('unavailable', t('signIn.bundledFailed'));
        }
      } else {
        // "127.0.0.1:3000" or "chat.example.org" mean the web address people would type.
        const typed = server.trim();
        serverUrl = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `http://${typed}`).origin;
      }
      const body = { username, password, deviceName: deviceName(navigator.userAgent) };
      const session =
        mode === 'create'
          ? await createAccount(serverUrl, { ...body, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) })
          : await signIn(serverUrl, body);
      complete({ ...session, serverUrl, ...(bundled ? { bundled: true } : {}) });
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
        {api && (
          <div role="radiogroup" aria-labelledby={whereId} className="radios">
            <span id={whereId} className="radios-label">
              {t('signIn.where')}
            </span>
            <label className="radio-inline">
              <input type="radio" name={whereId} checked={where === 'bundled'} onChange={() => setWhere('bundled')} />
              {t('signIn.thisComputer')}
            </label>
            <label className="radio-inline">
              <input type="radio" name={whereId} checked={where === 'remote'} onChange={() => setWhere('remote')} />
              {t('signIn.anotherServer')}
            </label>
          </div>
        )}
        <label>
          {t('signIn.server')}
          <input value={server} disabled={api !== null && where === 'bundled'} onChange={(e) => setServer(e.target.value)} inputMode="url" autoComplete="url" required />
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
