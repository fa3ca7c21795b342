/** The HTTP calls that mint and end a device session. */
import { DemoAccountsSchema, SessionSchema, TidingsError, isErrorCode, type DemoAccounts, type Session } from '../protocol';

async function call(serverUrl: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(new URL(path, serverUrl), init);
  } catch {
    throw new TidingsError('unavailable', `Can't reach the server at ${serverUrl}. Check the address and your connection.`);
  }
}

async function sessionFrom(res: Response): Promise<Session> {
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = body as { code?: unknown; message?: unknown } | null;
    throw new TidingsError(isErrorCode(e?.code) ? e.code : 'internal', typeof e?.message === 'string' ? e.message : `The server answered ${res.status}.`);
  }
  const parsed = SessionSchema.safeParse(body);
  if (!parsed.success) throw new TidingsError('internal', 'The server sent an answer this app does not understand.');
  return parsed.data;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export async function createAccount(
  serverUrl: string,
  body: { username: string; password: string; displayName?: string; deviceName: string },
): Promise<Session> {
  return sessionFrom(await call(serverUrl, '/api/accounts', json(body)));
}

export async function signIn(serverUrl: string, body: { username: string; password: string; deviceName: string }): Promise<Session> {
  return sessionFrom(await call(serverUrl, '/api/sessions', json(body)));
}

/** The demo's public accounts if this is `npm run demo`'s server; null from any other (it has no such route). */
export async function demoAccounts(serverUrl: string): Promise<DemoAccounts | null> {
  const res = await call(serverUrl, '/api/demo', { headers: { accept: 'application/json' } });
  if (!res.ok) return null;
  const parsed = DemoAccountsSchema.safeParse(await res.json().catch(() => null));
  return parsed.success ? parsed.data : null;
}

export async function signOut(serverUrl: string, token: string): Promise<void> {
  await call(serverUrl, '/api/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

/** A readable device name from the browser, e.g. "Chrome on Linux". */
export function deviceName(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Electron\//.test(userAgent)
      ? 'Tidings desktop'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : 'Browser';
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : 'unknown system';
  return `${browser} on ${os}`;
}
