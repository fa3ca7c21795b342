/**
 * What a launch asks for, from its command line and environment:
 *
 * - `--server=URL` (or `TIDINGS_SERVER_URL`): a configured server, offered first on the sign-in
 *   screen instead of the bundled one.
 * - `--demo=alice-laptop:alice,alice-phone:alice,bob:bob` (or `TIDINGS_DEMO`): the multi-device
 *   demo. One window per name, each with its own persistent storage partition
 *   (`persist:<name>`), so each is a separate device with its own local store and session; the
 *   app's data goes to a separate `Tidings Demo` profile, so a demo never touches the person's
 *   own profile (nor its single-instance lock). After a colon, the demo account the window signs
 *   itself in to when its server is `npm run demo`'s (which alone tells the password).
 *
 * With `electron-vite dev`, pass them after `--`: `npm run desktop -- --demo=a,b`.
 */
import { DemoAccountSchema, ProfileNameSchema, serverOrigin } from '../../src/desktop/bridge';

export const MAX_DEMO_WINDOWS = 4;

export interface DemoWindow {
  name: string;
  /** The demo account it signs itself in to, or null to sign in by hand. */
  account: string | null;
  partition: `persist:${string}`;
  /** Cascaded so that every window's title bar can be seen. */
  offset: { x: number; y: number };
}

export interface LaunchOptions {
  serverUrl: string | null;
  demo: DemoWindow[] | null;
}

function arg(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export { serverOrigin };

export class LaunchError extends Error {}

export function parseLaunchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): LaunchOptions {
  const rawServer = arg(argv, 'server') ?? env.TIDINGS_SERVER_URL;
  const serverUrl = serverOrigin(rawServer);
  if (rawServer && !serverUrl) throw new LaunchError(`not an http(s) server address: ${rawServer}`);
  const rawDemo = arg(argv, 'demo') ?? env.TIDINGS_DEMO;
  if (!rawDemo) return { serverUrl, demo: null };
  const windows = rawDemo
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)
    .map((w) => {
      const [name = '', account, ...rest] = w.split(':');
      return { name, account: account ?? null, extra: rest.length > 0 };
    });
  if (windows.length === 0 || windows.length > MAX_DEMO_WINDOWS) throw new LaunchError(`--demo takes 1 to ${MAX_DEMO_WINDOWS} names`);
  if (new Set(windows.map((w) => w.name)).size !== windows.length) throw new LaunchError('--demo names must differ (each is a separate device)');
  for (const { name, account, extra } of windows) {
    if (!ProfileNameSchema.safeParse(name).success) throw new LaunchError(`demo name "${name}": use a-z, 0-9 and -, up to 32`);
    if (extra || (account !== null && !DemoAccountSchema.safeParse(account).success)) throw new LaunchError(`demo window "${name}": after the colon, one user name`);
  }
  return {
    serverUrl,
    demo: windows.map(({ name, account }, i) => ({ name, account, partition: `persist:${name}`, offset: { x: 40 * i, y: 40 * i } })),
  };
}

/** The arguments a window's preload reads (see electron/preload/index.ts). */
export function rendererArguments(serverUrl: string | null, demo: Pick<DemoWindow, 'name' | 'account'> | null): string[] {
  return [
    ...(serverUrl ? [`--tidings-server-url=${serverUrl}`] : []),
    ...(demo ? [`--tidings-profile=${demo.name}`] : []),
    ...(demo?.account ? [`--tidings-demo-account=${demo.account}`] : []),
  ];
}
