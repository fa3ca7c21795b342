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

export const DEVICE_BROWSERS = ['Edge', 'Tidings desktop', 'Firefox', 'Chrome', 'Safari', 'Browser'] as const;
export const DEVICE_SYSTEMS = ['Windows', 'Android', 'iOS', 'macOS', 'Linux', 'unknown system'] as const;
/** What a generated device name says: which browser, on which system. */
export interface DeviceNameParts {
  browser: (typeof DEVICE_BROWSERS)[number];
  system: (typeof DEVICE_SYSTEMS)[number];
}

export function deviceNameParts(userAgent: string): DeviceNameParts {
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
  const system = /Windows/.test(userAgent)
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
  return { browser, system };
}

/**
 * A readable device name from the browser, e.g. "Chrome on Linux". The server stores it as
 * data, in English, for every language: a screen in another language reads its parts back
 * (`generatedDeviceParts`) and says them in its own words.
 */
export function deviceName(userAgent: string): string {
  const { browser, system } = deviceNameParts(userAgent);
  return `${browser} on ${system}`;
}

/** The parts of a name exactly as `deviceName` makes it; null for a name someone chose. */
export function generatedDeviceParts(name: string): DeviceNameParts | null {
  const match = /^(.+) on (.+)$/.exec(name);
  const browser = DEVICE_BROWSERS.find((b) => b === match?.[1]);
  const system = DEVICE_SYSTEMS.find((s) => s === match?.[2]);
  return browser && system ? { browser, system } : null;
}
