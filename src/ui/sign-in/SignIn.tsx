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
      setError(err instanceof TypeError ? 'The server address is not a valid URL.' : describeError(err));
      setBusy(null);
    }
  }

  return (
    <main className="sign-in">
      <form className="card" onSubmit={(e) => void submit('signin', e)}>
        <h1>Tidings</h1>
        <p className="muted">Sign in, or create an account on this server.</p>
        {endedBecause && !error && <p className="notice">{endedBecause}</p>}
        <label>
          Server
          <input value={server} onChange={(e) => setServer(e.target.value)} inputMode="url" autoComplete="url" required />
        </label>
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" required />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} aria-describedby={hintId} autoComplete="name" />
        </label>
        <p id={hintId} className="hint">
          Optional, for a new account. Shown to the people you chat with.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy !== null}>
            Sign in
          </button>
          <button type="button" disabled={busy !== null} onClick={() => void submit('create')}>
            Create account
          </button>
        </div>
      </form>
    </main>
  );
}
