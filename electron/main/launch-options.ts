/**
 * What a launch asks for, from its command line and environment:
 *
 * - `--server=URL` (or `TIDINGS_SERVER_URL`): a configured server, offered first on the sign-in
 *   screen instead of the bundled one.
 * - `--demo=alice-laptop,alice-phone,bob` (or `TIDINGS_DEMO`): the multi-device demo. One window
 *   per name, each with its own persistent storage partition (`persist:<name>`), so each is a
 *   separate device with its own local store and session; the app's data goes to a separate
 *   `<userData>-demo` folder, so a demo never touches the person's own profile (nor its
 *   single-instance lock).
 *
 * With `electron-vite dev`, pass them after `--`: `npm run desktop -- --demo=a,b`.
 */
import { ProfileNameSchema, serverOrigin } from '../../src/desktop/bridge';

export const MAX_DEMO_WINDOWS = 4;

export interface DemoWindow {
  name: string;
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
  const names = rawDemo.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0 || names.length > MAX_DEMO_WINDOWS) throw new LaunchError(`--demo takes 1 to ${MAX_DEMO_WINDOWS} names`);
  if (new Set(names).size !== names.length) throw new LaunchError('--demo names must differ (each is a separate device)');
  for (const n of names) if (!ProfileNameSchema.safeParse(n).success) throw new LaunchError(`demo name "${n}": use a-z, 0-9 and -, up to 32`);
  return {
    serverUrl,
    demo: names.map((name, i) => ({ name, partition: `persist:${name}`, offset: { x: 40 * i, y: 40 * i } })),
  };
}

/** The arguments a window's preload reads (see electron/preload/index.ts). */
export function rendererArguments(serverUrl: string | null, profile: string | null): string[] {
  return [...(serverUrl ? [`--tidings-server-url=${serverUrl}`] : []), ...(profile ? [`--tidings-profile=${profile}`] : [])];
}
