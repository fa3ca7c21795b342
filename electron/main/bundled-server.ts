/**
 * The server bundled in the desktop app, for people without one: the project's own server
 * (`startServer`), in the main process, on 127.0.0.1, with its SQLite file in the app's data
 * folder (`<userData>/server/tidings.db`). It serves the API and sockets only (the window has
 * the client already).
 *
 * The renderer keeps the server URL in its stored session, and names its local store after it,
 * so the port must survive restarts: it is saved on first start and asked for again each time.
 * Only if another program took it meanwhile does the server move to a free port (the renderer
 * learns the new URL from `bundledServer()`).
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app';
import { configFromEnv, type ServerConfig } from '../../server/config';
import { saveBundledSettings } from './bundled-settings';

export const HOST = '127.0.0.1';

/** Whether `port` can be listened on at 127.0.0.1 now. */
export function isPortFree(port: number, host = HOST): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The preferred port if it is free, else 0 (the system picks a free one). */
export async function choosePort(preferred: number | null): Promise<number> {
  return preferred !== null && (await isPortFree(preferred)) ? preferred : 0;
}

export function bundledServerConfig(dataDir: string, port: number, allowedOrigins: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // The env still tunes limits and retention (TIDINGS_*), as for `npm start`; where it listens,
  // where its data is and what it serves are the app's.
  return { ...configFromEnv(env), host: HOST, port, dataFile: join(dataDir, 'tidings.db'), webRoot: null, allowedOrigins: [...allowedOrigins] };
}

export interface StartBundledOptions {
  /** `<userData>/server` in the app. */
  dataDir: string;
  /** The last port used (from the saved settings), or null the first time. */
  preferredPort: number | null;
  /** Browser origins besides `file://` allowed to connect (the dev server's, in development). */
  allowedOrigins?: readonly string[];
  env?: NodeJS.ProcessEnv;
  start?: (config: ServerConfig) => Promise<RunningServer>;
}

export async function startBundledServer(options: StartBundledOptions): Promise<RunningServer> {
  const { dataDir, preferredPort, allowedOrigins = [], env = process.env, start = startServer } = options;
  mkdirSync(dataDir, { recursive: true });
  const port = await choosePort(preferredPort);
  const server = await start(bundledServerConfig(dataDir, port, allowedOrigins, env));
  saveBundledSettings(dataDir, { port: server.port, start: true });
  return server;
}
