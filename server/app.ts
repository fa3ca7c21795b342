/**
 * Builds a whole Tidings server (HTTP + socket.io + storage) and starts it on 127.0.0.1.
 * Tests and benchmarks call `startServer` with their own settings; `main.ts` reads the env.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoAccounts } from '../src/protocol';
import { describeData, type ServerConfig } from './config';
import { createHttpApp } from './http/routes';
import { logger } from './log';
import { Accounts } from './services/accounts';
import { Messaging } from './services/messaging';
import { MemoryPresenceBook, PresenceTracker } from './services/presence';
import { createSocketServer } from './socket/socket-server';
import { memoryLimiters, RedisLink } from './scale/redis-link';
import { openStorage } from './storage/open-storage';
import type { Storage } from './storage/storage';
import { Snowflake } from './util/snowflake';

const log = logger('server');

export interface RunningServer {
  url: string;
  port: number;
  storage: Storage;
  http: HttpServer;
  close(): Promise<void>;
}

/**
 * The names this server answers to: its loopback names, and the public names it is configured
 * with (behind a reverse proxy). A page on another name that resolves to 127.0.0.1 (DNS
 * rebinding) is refused before anything else is looked at.
 */
export function hostPolicy(publicHosts: readonly string[]) {
  const names = new Set(publicHosts.map((h) => h.toLowerCase()));
  return (host: string | undefined): boolean => {
    if (!host) return true; // HTTP/1.0 and non-browser clients; browsers always send Host
    const h = host.toLowerCase();
    if (names.has(h)) return true;
    const name = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.split(':')[0];
    return name === '127.0.0.1' || name === 'localhost' || name === '[::1]' || names.has(name ?? '');
  };
}

/** Same-origin requests, non-browser clients (no Origin) and the configured origins pass. */
export function originPolicy(allowed: readonly string[], isKnownHost: (host: string | undefined) => boolean = () => true) {
  return (origin: string | undefined, host: string | undefined): boolean => {
    if (!isKnownHost(host)) return false;
    if (!origin || origin === 'null' || origin.startsWith('file://')) return true;
    if (allowed.includes('*') || allowed.includes(origin)) return true;
    try {
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  };
}

/** What only some callers add to a server; never read from the environment. */
export interface ServerExtras {
  /** `npm run demo`'s public accounts, answered at `GET /api/demo` (server/demo.ts). */
  demo?: DemoAccounts;
}

export async function startServer(
  config: ServerConfig,
  given?: Storage,
  extras: ServerExtras = {},
): Promise<RunningServer> {
  const storage = given ?? (await openStorage(config));
  const ids = new Snowflake(config.nodeId);
  const accounts = new Accounts(storage, ids, config.sessionTtlMs);
  const isAllowedOrigin = originPolicy(config.allowedOrigins, hostPolicy(config.publicHosts));
  // Several nodes share pushes and limits through Redis; one node keeps them in memory.
  const redis = config.redisUrl ? await RedisLink.connect(config.redisUrl, config.redisPrefix) : null;
  const limiters = redis?.limiters ?? memoryLimiters;
  const authLimiter = limiters('auth', config.authPerMinute, 60);
  // The HTTP app needs the socket server (sign-out disconnects) and the socket server needs
  // the HTTP server it attaches to, so the app reaches the sockets through this late binding.
  let disconnectDevice: ((deviceId: string) => Promise<void>) | null = null;
  const app = createHttpApp({
    accounts,
    webRoot: config.webRoot,
    authLimiter,
    isAllowedOrigin,
    onSignOut: async (deviceId) => {
      await disconnectDevice?.(deviceId);
    },
    demo: extras.demo,
  });
  const http = createServer(app);
  let messaging: Messaging | null = null;
  let presence: PresenceTracker | null = null;
  const sockets = createSocketServer({
    http,
    accounts,
    messaging: () => {
      if (!messaging) throw new Error('server not started');
      return messaging;
    },
    presence: () => {
      if (!presence) throw new Error('server not started');
      return presence;
    },
    recallWindowMs: config.recallWindowMs,
    isAllowedOrigin,
    storage,
    ratePoints: config.ratePoints,
    rateWindowS: config.rateWindowS,
    userRatePoints: config.userRatePoints,
    connectsPerMinute: config.connectsPerMinute,
    sessionSweepMs: config.sessionSweepMs,
    limiters,
    adapter: redis?.adapter() ?? null,
  });
  const presenceBook = redis?.presenceBook() ?? new MemoryPresenceBook();
  presence = new PresenceTracker(storage, sockets.pushPresence, Date.now, presenceBook);
  messaging = new Messaging(storage, ids, sockets.pusher, presence, config.recallWindowMs, limiters);
  disconnectDevice = sockets.disconnectDevice;

  const prune = async () => {
    const removed = await storage.pruneInbox(Date.now() - config.inboxRetentionMs);
    if (removed > 0) log.info({ removed }, 'pruned inbox events past retention');
  };
  await prune();
  const pruneTimer = setInterval(() => void prune().catch((err: unknown) => log.error({ err }, 'prune failed')), 3_600_000);
  pruneTimer.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${config.host}:${port}`;
  log.info({ url, data: describeData(config) }, 'listening');

  return {
    url,
    port,
    storage,
    http,
    async close() {
      clearInterval(pruneTimer);
      sockets.stop();
      await sockets.io.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      // The sockets' goodbyes write "last seen"; let them finish before the storage closes.
      await presence?.settle();
      await presenceBook.close();
      await storage.close();
      await redis?.close();
    },
  };
}
