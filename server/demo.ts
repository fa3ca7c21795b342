/**
 * `npm run demo`: the bundled server with two people who already talk, so a person sees at a
 * glance what Tidings does across devices: Alice on two devices (laptop and phone) and Bob.
 * With the Electron binary installed it opens the three as desktop windows, each in its own
 * storage partition; otherwise it prints three addresses, each a separate device profile in
 * the same browser (`?profile=`). Each device signs itself in: its address (or window) names
 * its demo account (`&demo=alice`), and this server, and only this one, tells the client the
 * demo's public passwords (`GET /api/demo`). Data lives in ./data/demo.db (TIDINGS_DATA to change).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { v4 as uuidv4 } from 'uuid';
import { PROTOCOL_VERSION, SessionSchema, SOCKET_EVENTS, type DemoAccounts, type RequestInput, type Session } from '../src/protocol';
import { startServer, type RunningServer } from './app';
import { configFromEnv } from './config';

export const DEMO_PASSWORD = 'tidings demo';
const PEOPLE = [
  { username: 'alice', displayName: 'Alice' },
  { username: 'bob', displayName: 'Bob' },
] as const;
/** The demo's devices: a profile (a separate device) each, and the account it signs in to. */
export const DEMO_DEVICES = [
  { profile: 'alice-laptop', username: 'alice' },
  { profile: 'alice-phone', username: 'alice' },
  { profile: 'bob', username: 'bob' },
] as const;
/** What `GET /api/demo` answers on the demo's server: public, like the README that prints it. */
export const DEMO_ACCOUNTS: DemoAccounts = { accounts: PEOPLE.map((p) => ({ username: p.username, password: DEMO_PASSWORD })) };
const OPENING = [
  ['bob', 'Hi Alice! Try me on your laptop and your phone at once.'],
  ['alice', 'Hello Bob — reading you on the laptop now.'],
  ['bob', 'Open this chat on the phone too: what you read here is read there.'],
] as const;

async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as unknown };
}

/** Signs the person in, creating the account the first time. */
async function session(url: string, username: string, displayName: string): Promise<Session> {
  const device = { username, password: DEMO_PASSWORD, deviceName: 'Demo setup' };
  const created = await post(url, '/api/accounts', { ...device, displayName });
  const answer = created.status === 201 ? created : await post(url, '/api/sessions', device);
  if (answer.status !== 201) throw new Error(`demo: could not sign in ${username} (${answer.status})`);
  return SessionSchema.parse(answer.json);
}

/** Ends the setup's session, so the people's `Devices` lists show only the demo's devices. */
async function endSession(url: string, token: string): Promise<void> {
  await fetch(new URL('/api/sessions/current', url), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

async function request(socket: Socket, req: RequestInput): Promise<unknown> {
  const reply = (await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.request, req)) as { ok: boolean; result?: unknown; error?: { message: string } };
  if (!reply.ok) throw new Error(`demo: ${req.type} refused: ${reply.error?.message ?? ''}`);
  return reply.result;
}

/** Alice and Bob exist and have a conversation with a few messages (once, on a new data file). */
export async function seedDemo(url: string): Promise<void> {
  const sessions = new Map<string, Session>();
  for (const p of PEOPLE) sessions.set(p.username, await session(url, p.username, p.displayName));
  const sockets = new Map<string, Socket>();
  try {
    for (const [username, s] of sessions) {
      const socket = io(url, { auth: { token: s.token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], reconnection: false });
      await new Promise<void>((ok, fail) => {
        socket.once('connect', () => ok());
        socket.once('connect_error', fail);
      });
      sockets.set(username, socket);
    }
    const bob = sockets.get('bob') as Socket;
    const opened = (await request(bob, { type: 'openDirect', username: 'alice' })) as { conversation: { id: string; lastSeq: number } };
    if (opened.conversation.lastSeq > 0) return; // seeded on an earlier run
    for (const [who, text] of OPENING) {
      await request(sockets.get(who) as Socket, { type: 'send', conversationId: opened.conversation.id, clientMsgId: uuidv4(), text });
    }
  } finally {
    for (const s of sockets.values()) s.disconnect();
    for (const s of sessions.values()) await endSession(url, s.token);
  }
}

/** The Electron binary, when `npm install` could download it. */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export interface Demo {
  server: RunningServer;
  /** One address per device (browser mode): its profile, and the demo account it signs in to. */
  urls: { profile: string; username: string; url: string }[];
}

/** The `--demo=` argument of the desktop app: one window per device, `profile:account`. */
export function electronDemoArgument(): string {
  return `--demo=${DEMO_DEVICES.map((d) => `${d.profile}:${d.username}`).join(',')}`;
}

export async function startDemo(overrides: { port?: number; dataFile?: string; webRoot?: string | null } = {}): Promise<Demo> {
  const config = configFromEnv();
  const server = await startServer(
    {
      ...config,
      port: overrides.port ?? config.port,
      dataFile: overrides.dataFile ?? resolve(process.env.TIDINGS_DATA ?? './data/demo.db'),
      webRoot: overrides.webRoot === undefined ? config.webRoot : overrides.webRoot,
    },
    undefined,
    { demo: DEMO_ACCOUNTS },
  );
  await seedDemo(server.url);
  return {
    server,
    urls: DEMO_DEVICES.map(({ profile, username }) => ({ profile, username, url: `${server.url}/?profile=${profile}&demo=${username}` })),
  };
}

async function main(): Promise<void> {
  const demo = await startDemo();
  const electron = process.argv.includes('--browser') ? null : electronBinary();
  const people = `Each signs itself in: alice on "alice-laptop" and "alice-phone", bob on "bob" (password "${DEMO_PASSWORD}", to sign in again after signing out).`;
  if (electron) {
    console.log(`\n  Tidings demo: the server runs at ${demo.server.url}; opening three windows.\n  ${people}\n`);
    const app = spawn(electron, ['.', electronDemoArgument(), `--server=${demo.server.url}`], { stdio: 'inherit' });
    app.on('exit', () => void demo.server.close().then(() => process.exit(0)));
  } else {
    console.log(`\n  Tidings demo is running at ${demo.server.url}. Open these three in one browser, side by side:\n`);
    for (const { profile, url } of demo.urls) console.log(`    ${profile.padEnd(13)} ${url}`);
    const why = process.argv.includes('--browser') ? '' : '\n  (No Electron binary here, so no desktop windows: see README, "The desktop app".)';
    console.log(`\n  Each address is a separate device. ${people}${why}\n`);
  }
  const stop = () => void demo.server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
