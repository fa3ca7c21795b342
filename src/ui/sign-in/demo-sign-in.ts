/**
 * `npm run demo` signs each of its devices in by itself (server/demo.ts). A device learns which
 * demo account it is from its address (`?demo=alice`, browser) or its window (`--demo=
 * alice-phone:alice`, desktop), asks its server for the demo's accounts, which only the demo's
 * server has (`GET /api/demo`; any other answers 404 and the sign-in screen simply stays), and
 * signs in the normal way, with a device session of its own. No token is ever in an address.
 */
import { DemoAccountSchema, desktopApi } from '../../desktop/bridge';
import type { Session } from '../../protocol';
import { profile } from '../../state/profile';
import { demoAccounts, deviceName, signIn } from '../../sync/api';

/** The demo account this device is, from its window (desktop) or its address (browser), or null. */
export function wantedDemoAccount(search: string = globalThis.location?.search ?? ''): string | null {
  const fromWindow = desktopApi()?.demoAccount;
  if (fromWindow) return fromWindow;
  const parsed = DemoAccountSchema.safeParse(new URLSearchParams(search).get('demo'));
  return parsed.success ? parsed.data : null;
}

/** The demo names its devices after their profiles, so `Devices` reads "alice-laptop", "alice-phone". */
export function demoDeviceName(): string {
  return desktopApi()?.profile ?? profile ?? deviceName(navigator.userAgent);
}

/** A session for `username` if `serverUrl` is the demo's server and has that account, else null. */
export async function demoSignIn(serverUrl: string, username: string, device: string): Promise<Session | null> {
  const demo = await demoAccounts(serverUrl);
  const account = demo?.accounts.find((a) => a.username === username);
  if (!account) return null;
  return signIn(serverUrl, { username, password: account.password, deviceName: device });
}
