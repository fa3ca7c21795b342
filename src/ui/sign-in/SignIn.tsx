import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { desktopApi } from '../../desktop/bridge';
import { language, t } from '../../i18n';
import { useSession } from '../../state/session';
import { createAccount, deviceName, signIn } from '../../sync/api';
import { LIMITS, PasswordSchema, TidingsError, UsernameSchema, type Session } from '../../protocol';
import { describeError, fieldProblem } from '../words';
import { demoDeviceName, demoSignIn, wantedDemoAccount } from './demo-sign-in';

/** The server that served this page, or in the desktop app the configured (or bundled) one. */
function defaultServer(): string {
  const configured = desktopApi()?.serverUrl;
  if (configured) return configured;
  return location.protocol.startsWith('http') ? location.origin : 'http://127.0.0.1:3000';
}

/**
 * What a person types as a server: "chat.example.org" means https (a password must not cross
 * the network in the clear); a loopback or private-network address such as "127.0.0.1:3000"
 * means http, as such servers usually have no certificate. A typed scheme is kept.
 */
export function serverAddress(typed: string): string {
  const t = typed.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return new URL(t).origin;
  const host = new URL(`http://${t}`).hostname;
  const local = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/.test(host) || host.endsWith('.local');
  return new URL(`${local ? 'http' : 'https'}://${t}`).origin;
}

/**
 * What is wrong with a new account's fields, in the person's language, before anything is sent
 * (the server checks the same schemas and refuses the same things).
 */
export function signUpProblem(fields: { username: string; password: string; displayName: string }): string | null {
  if (!UsernameSchema.safeParse(fields.username).success) return t('signIn.usernameRule', { min: LIMITS.usernameMin, max: LIMITS.usernameMax });
  if (!PasswordSchema.safeParse(fields.password).success) return t('signIn.passwordRule', { min: LIMITS.passwordMin, max: LIMITS.passwordMax });
  return fieldProblem('displayName', fields.displayName);
}

/** The desktop app keeps messages on this computer (its bundled server) or on a server elsewhere. */
type Where = 'bundled' | 'remote';
/** The form signs in, or creates an account (and only then asks for a display name). */
type Mode = 'signin' | 'create';

/**
 * The demo's sign-in, once per page load: React mounts the screen twice in development, and both
 * mounts share one attempt; once it has been used, a sign-out leaves the screen for the person.
 */
let demoAttempt: Promise<Session | null> | null = null;
let demoUsed = false;

export function SignIn() {
  const endedBecause = useSession((s) => s.endedBecause);
  const complete = useSession((s) => s.signIn);
  const [server, setServer] = useState(defaultServer);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [mode, setMode] = useState<Mode>('signin');
  const [busy, setBusy] = useState<Mode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const whereId = useId();
  const api = desktopApi();
  const [where, setWhere] = useState<Where>('remote');
  // A desktop app that already runs its own server signs in there by default.
  useEffect(() => {
    api?.bundledServer().then(
      (running) => {
        if (!running) return;
        setWhere('bundled');
        setServer(running.url);
      },
      () => {
        // Not running: the person chooses.
      },
    );
  }, [api]);

  // `npm run demo`: this device is a demo account and signs itself in, if its server is the demo's.
  const [demoAccount] = useState(() => (demoUsed ? null : wantedDemoAccount()));
  useEffect(() => {
    if (!demoAccount) return;
    let cancelled = false;
    const serverUrl = defaultServer();
    demoAttempt ??= demoSignIn(serverUrl, demoAccount, demoDeviceName());
    setBusy('signin');
    demoAttempt.then(
      (session) => {
        if (cancelled) return;
        demoUsed = true;
        if (session) complete({ ...session, serverUrl });
        else setBusy(null);
      },
      (err: unknown) => {
        if (cancelled) return;
        demoUsed = true;
        setError(describeError(err));
        setBusy(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [demoAccount, complete]);

  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const displayNameRef = useRef<HTMLInputElement>(null);
  // After a switch, focus goes on to the first field still empty (the display name appears
  // with the create mode, so this waits for the render that shows it).
  const [switched, setSwitched] = useState(false);
  useEffect(() => {
    if (!switched) return;
    setSwitched(false);
    [usernameRef, passwordRef, displayNameRef].find((r) => r.current && !r.current.value)?.current?.focus();
  }, [switched]);
  function switchTo(next: Mode) {
    setMode(next);
    setError(null);
    setSwitched(true);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = mode === 'create' ? signUpProblem({ username, password, displayName }) : null;
    setError(problem);
    if (problem) return;
    setBusy(mode);
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
        serverUrl = serverAddress(server);
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
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h1>{t('app.name')}</h1>
        <p className="muted">{mode === 'signin' ? t('signIn.introSignIn') : t('signIn.introCreate')}</p>
        {endedBecause && !error && (
          <p className="notice" role="status">
            {/* The server's reason is English, like its refusals (see describeError). */}
            {language() === 'en' ? endedBecause : t('signIn.ended')}
          </p>
        )}
        {demoAccount && busy === 'signin' && (
          <p className="notice" role="status">
            {t('signIn.demo', { username: demoAccount })}
          </p>
        )}
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
          <input ref={usernameRef} value={username} onChange={(e) => setUsername(e.target.value)} maxLength={LIMITS.usernameMax} autoComplete="username" autoCapitalize="none" required />
        </label>
        <label>
          {t('signIn.password')}
          <input
            ref={passwordRef}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            maxLength={LIMITS.passwordMax}
            autoComplete={mode === 'create' ? 'new-password' : 'current-password'}
            required
          />
        </label>
        {mode === 'create' && (
          <>
            <label>
              {t('signIn.displayName')}
              <input ref={displayNameRef} value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={LIMITS.displayNameMax} aria-describedby={hintId} autoComplete="name" />
            </label>
            <p id={hintId} className="hint">
              {t('signIn.displayNameHint')}
            </p>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy !== null}>
            {mode === 'signin' ? t('signIn.signIn') : t('signIn.createAccount')}
          </button>
        </div>
        <p className="switch-mode muted">
          {mode === 'signin' ? t('signIn.noAccount') : t('signIn.haveAccount')}{' '}
          <button type="button" className="link" disabled={busy !== null} onClick={() => switchTo(mode === 'signin' ? 'create' : 'signin')}>
            {mode === 'signin' ? t('signIn.createAccount') : t('signIn.signIn')}
          </button>
        </p>
      </form>
    </main>
  );
}
