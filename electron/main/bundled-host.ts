/**
 * The bundled server's life in the app: who uses it, when it starts and when it stops.
 *
 * A window uses it while its session is on it: it says so with `startBundledServer` (on the
 * sign-in screen, and each time its page loads with such a session). A window whose session
 * ends, or is on another server, releases it. When no window uses it any more, the choice is
 * forgotten (the next launch does not start it; bundled-settings.ts keeps the port for a return)
 * and the server stops now. A page that reloads or closes only drops out: it may come back.
 *
 * The server's modules are loaded by `start` (given by index.ts) only when it starts.
 */
import type { RunningServer } from '../../server/app';
import { loadBundledSettings, saveBundledSettings } from './bundled-settings';

export interface BundledHostOptions {
  /** `<userData>/server`: the settings file, and the server's data. */
  dataDir: string;
  /** Starts the server, preferring the port it had (bundled-server.ts's startBundledServer). */
  start: (preferredPort: number | null) => Promise<RunningServer>;
  onStarted?: (server: RunningServer) => void;
  onStopped?: () => void;
}

export class BundledServerHost {
  private server: RunningServer | null = null;
  private starting: Promise<RunningServer> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly users = new Set<unknown>();

  constructor(private readonly options: BundledHostOptions) {}

  /** The running server, if any. */
  get running(): RunningServer | null {
    return this.server;
  }

  /** Running, starting or stopping: quitting must wait for it. */
  get active(): boolean {
    return this.server !== null || this.starting !== null || this.stopping !== null;
  }

  /** Starts the server (or returns the running one), with no user yet: the launch, when it was chosen before. */
  async start(): Promise<RunningServer> {
    await this.stopping;
    if (this.server) return this.server;
    this.starting ??= this.options
      .start(loadBundledSettings(this.options.dataDir)?.port ?? null)
      .then((server) => {
        this.server = server;
        this.options.onStarted?.(server);
        return server;
      })
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  /** `user` (a window) signs in on the server, or has a session there: start it, and keep it. */
  async use(user: unknown): Promise<RunningServer> {
    this.users.add(user);
    return this.start();
  }

  /** `user` has no session on the server any more: when nobody has, forget the choice and stop. */
  async release(user: unknown): Promise<void> {
    this.users.delete(user);
    if (this.users.size > 0) return;
    const settings = loadBundledSettings(this.options.dataDir);
    if (settings?.start) saveBundledSettings(this.options.dataDir, { ...settings, start: false });
    await this.starting?.catch(() => undefined);
    // A window may have come in while the server was starting.
    if (this.users.size === 0) await this.stop();
  }

  /** `user`'s page is gone for now (reloading, closed): it no longer keeps the server, nor lets it go. */
  drop(user: unknown): void {
    this.users.delete(user);
  }

  /** Stops the server (releasing its SQLite file); the choice is kept. For quitting, and `release`. */
  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const server = this.server;
    if (!server) return this.stopping ?? undefined;
    this.server = null;
    this.stopping = server.close().finally(() => {
      this.stopping = null;
      this.options.onStopped?.();
    });
    return this.stopping;
  }
}
