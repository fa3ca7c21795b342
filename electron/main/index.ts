/**
 * Electron main process: the app's lifecycle. One window (or one per device in the demo) that
 * loads the renderer (the dev server in development, the built files otherwise); one instance
 * per profile; the menu, tray and badge; native notifications; IPC through the bridge; and the
 * bundled server while the person uses it (bundled-host.ts).
 *
 * Pure decisions live beside this file with their tests; this file and app-windows.ts /
 * desktop-shell.ts only call Electron.
 */
import { app, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundledServer } from '../../src/desktop/bridge';
import { logger } from '../../server/log';
import { AppWindows, type AppWindow } from './app-windows';
import { APP_NAME } from './badge';
import { BundledServerHost } from './bundled-host';
import { DesktopShell } from './desktop-shell';
import { startsAtLaunch } from './bundled-settings';
import { registerIpc } from './ipc';
import { LaunchError, parseLaunchOptions, rendererArguments, type DemoWindow } from './launch-options';
import { isAppUrl } from './security';
import { bringToFront, commandFromArgv, onSecondInstance } from './single-instance';
import { systemLanguage } from './words';

const log = logger('desktop');
/** electron-builder.yml's appId: Windows groups notifications and taskbar entries by it. */
export const APP_ID = 'org.tidings.desktop';

function launchOptions() {
  try {
    return parseLaunchOptions(process.argv, process.env);
  } catch (err) {
    if (!(err instanceof LaunchError)) throw err;
    console.error(`tidings: ${err.message}`);
    app.exit(2);
    return null;
  }
}

const launch = launchOptions();
if (launch) {
  // Development and the demo get profiles of their own: neither may touch (or lock) the
  // installed app's data. Must happen before the single-instance lock, which is per profile.
  const profile = `${APP_NAME}${app.isPackaged ? '' : ' (dev)'}${launch.demo ? ' Demo' : ''}`;
  app.setPath('userData', join(app.getPath('appData'), profile));
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  if (!app.requestSingleInstanceLock()) app.quit();
  else run(launch.serverUrl, launch.demo);
}

function run(configuredServer: string | null, demo: DemoWindow[] | null): void {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  const appUrl = devUrl ?? pathToFileURL(join(__dirname, '../renderer/index.html')).href;
  const iconDir = join(app.getAppPath(), 'build');
  const serverDir = join(app.getPath('userData'), 'server');
  let quitting = false;
  const bundled = new BundledServerHost({
    dataDir: serverDir,
    start: async (preferredPort) => {
      // Loaded on demand: the server's modules (and better-sqlite3, a native module that must be
      // built for Electron) are not needed by people who use another server.
      const { startBundledServer } = await import('./bundled-server');
      return startBundledServer({ dataDir: serverDir, preferredPort, allowedOrigins: devUrl ? [new URL(devUrl).origin] : [] });
    },
    onStarted: (server) => log.info({ url: server.url }, 'bundled server started'),
    onStopped: () => log.info('bundled server stopped'),
  });

  const windows: AppWindows = new AppWindows({
    appUrl,
    preload: join(__dirname, '../preload/index.cjs'),
    icon: join(iconDir, 'icon.png'),
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    // Closing the window keeps the app in the tray (macOS: in the dock) so notifications keep
    // coming, where there is a tray to come back from. Linux desktops may hide the tray, so
    // there closing quits. Demo windows simply close.
    hideOnClose: (): boolean => !quitting && !demo && (process.platform === 'darwin' || (process.platform === 'win32' && shell.hasTray)),
    onUnreadChanged: () => shell.setUnread(windows.totalUnread()),
    onPageGone: (w) => bundled.drop(w),
  });

  const show = () => {
    const w = windows.current();
    if (w) bringToFront(w.win);
    else void createWindows();
  };
  const shell: DesktopShell = new DesktopShell({
    platform: process.platform,
    iconDir,
    dev: devUrl !== undefined,
    show,
    send: (command) => windows.send(command),
    quit: () => app.quit(),
    windows: () => windows.all().map((w: AppWindow) => w.win),
  });

  async function createWindows(): Promise<AppWindow[]> {
    const serverUrl = configuredServer ?? bundled.running?.url ?? null;
    if (!demo) return [windows.create({ session: session.defaultSession, additionalArguments: rendererArguments(serverUrl, null) })];
    return demo.map((d) => windows.create({ session: session.fromPartition(d.partition), additionalArguments: rendererArguments(serverUrl, d), demo: d }));
  }

  app.on('web-contents-created', (_event, contents) => windows.guardContents(contents));

  app.on('second-instance', (_event, argv) => {
    const current = windows.current();
    const outcome = onSecondInstance(argv, current?.win ?? null, (command) => windows.send(command, current));
    if (outcome.action === 'create-window') {
      void createWindows().then(([w]) => {
        const command = outcome.command;
        if (w && command) w.win.webContents.once('did-finish-load', () => windows.send(command, w));
      });
    }
  });

  registerIpc(
    ipcMain,
    { isAppWindow: (sender) => windows.of(sender) !== undefined, isAppUrl: (url) => isAppUrl(url, appUrl) },
    {
      notify: (request, sender) => windows.of(sender)?.notifications.show(request),
      closeNotification: (tag, sender) => windows.of(sender)?.notifications.close(tag),
      setUnread: (total, sender) => {
        const w = windows.of(sender);
        if (!w) return;
        w.unread = total;
        shell.setUnread(windows.totalUnread());
      },
      setLanguage: (language) => shell.setLanguage(language),
      bundledServer: async (): Promise<BundledServer | null> => (bundled.running ? { url: bundled.running.url } : null),
      startBundledServer: async (sender): Promise<BundledServer> => {
        const w = windows.of(sender);
        if (!w) throw new Error('refused');
        try {
          return { url: (await bundled.use(w)).url };
        } catch (err) {
          log.error({ err }, 'bundled server failed to start');
          throw new Error('The server on this computer could not start.');
        }
      },
      releaseBundledServer: (sender) => {
        const w = windows.of(sender);
        if (w) void bundled.release(w).catch((err: unknown) => log.error({ err }, 'bundled server did not stop cleanly'));
      },
    },
    (channel, reason) => log.info({ channel, reason }, 'ipc refused'),
  );

  app.on('before-quit', () => {
    quitting = true;
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    for (const w of windows.all()) w.notifications.closeAll();
    shell.destroy();
    if (!bundled.active || stopped) return;
    // Close the server (and its SQLite file) cleanly before the process ends.
    event.preventDefault();
    stopped = true;
    void bundled
      .stop()
      .catch((err: unknown) => log.error({ err }, 'bundled server did not close cleanly'))
      .finally(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || demo) app.quit();
  });
  app.on('activate', () => show());

  void app.whenReady().then(async () => {
    // The system's language until a window says which one it shows.
    shell.start(systemLanguage(app.getLocale()));
    // The bundled server was chosen on an earlier start: it must be up before the renderer
    // reconnects with its stored session.
    if (!configuredServer && startsAtLaunch(serverDir)) {
      await bundled.start().catch((err: unknown) => log.error({ err }, 'bundled server failed to start'));
    }
    const [first] = await createWindows();
    shell.refresh();
    const command = commandFromArgv(process.argv);
    if (first && command) first.win.webContents.once('did-finish-load', () => windows.send(command, first));
  });
}
