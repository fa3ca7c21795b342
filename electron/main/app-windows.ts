/**
 * The app's windows (one, or one per device in the demo), each with its notifications and its
 * unread total, and the security settings applied to every session and webContents. Electron
 * wiring only: the decisions come from security.ts, window-state.ts and notifications.ts.
 */
import { BrowserWindow, Notification, screen, shell, type Session, type WebContents } from 'electron';
import { fileURLToPath } from 'node:url';
import { Channel, type DesktopCommand } from '../../src/desktop/bridge';
import { logger } from '../../server/log';
import { APP_NAME } from './badge';
import type { DemoWindow } from './launch-options';
import { NotificationCenter } from './notifications';
import { externalLink, isAllowedNavigation, isPermissionGranted, secureWebPreferences } from './security';
import { bringToFront } from './single-instance';
import { MIN_SIZE, captureState, loadWindowState, restoreBounds, saveWindowState } from './window-state';

const log = logger('desktop');

export interface AppWindow {
  win: BrowserWindow;
  notifications: NotificationCenter;
  unread: number;
  profile: string | null;
}

export interface WindowSettings {
  /** The app page: the dev server's URL, or the built index.html as a file: URL. */
  appUrl: string;
  preload: string;
  /** Window icon (Linux; Windows and macOS take the packaged app's icon). */
  icon: string;
  /** Where the single window's bounds are kept; demo windows are not remembered. */
  stateFile: string;
  /** Hide instead of closing (the app lives on in the tray); read at each close. */
  hideOnClose: () => boolean;
  onUnreadChanged: () => void;
  /** The window's page is gone: reloading, or closed. What it told main about itself no longer holds. */
  onPageGone: (window: AppWindow) => void;
}

export class AppWindows {
  private readonly byContents = new Map<number, AppWindow>();
  private readonly hardened = new WeakSet<Session>();

  constructor(private readonly settings: WindowSettings) {}

  all(): AppWindow[] {
    return [...this.byContents.values()];
  }

  /** The window a message came from, if it is one of ours (IPC sender checks). */
  of(sender: unknown): AppWindow | undefined {
    const id = (sender as Partial<WebContents> | null)?.id;
    const found = typeof id === 'number' ? this.byContents.get(id) : undefined;
    return found && found.win.webContents === sender ? found : undefined;
  }

  /** The focused app window, else the first one. */
  current(): AppWindow | undefined {
    const focused = BrowserWindow.getFocusedWindow();
    return this.all().find((w) => w.win === focused) ?? this.all()[0];
  }

  totalUnread(): number {
    return this.all().reduce((n, w) => n + w.unread, 0);
  }

  /** Brings the window forward and hands it a command (menu, tray, second launch). */
  send(command: DesktopCommand, target = this.current()): void {
    if (!target) return;
    bringToFront(target.win);
    target.win.webContents.send(Channel.command, command);
  }

  create(options: { session: Session; additionalArguments: string[]; demo?: DemoWindow }): AppWindow {
    const { appUrl, preload, icon, stateFile } = this.settings;
    this.harden(options.session);
    const demo = options.demo;
    const placement = restoreBounds(demo ? null : loadWindowState(stateFile), screen.getAllDisplays());
    const offset = demo?.offset ?? { x: 0, y: 0 };
    const win = new BrowserWindow({
      ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
      width: placement.width,
      height: placement.height,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      title: demo ? `${APP_NAME} — ${demo.name}` : APP_NAME,
      icon,
      show: false,
      webPreferences: { ...secureWebPreferences(preload, options.additionalArguments), session: options.session },
    });
    if (demo) {
      const [x, y] = win.getPosition();
      win.setPosition((x ?? 0) + offset.x, (y ?? 0) + offset.y);
    }
    if (demo) {
      // The page sets the title ("(3) Tidings"); each demo window also says which device it is.
      win.on('page-title-updated', (event, title) => {
        event.preventDefault();
        win.setTitle(`${title} — ${demo.name}`);
      });
    }
    if (placement.maximized) win.maximize();
    win.once('ready-to-show', () => win.show());

    const record: AppWindow = {
      win,
      unread: 0,
      profile: demo?.name ?? null,
      notifications: new NotificationCenter(
        (content, events) => {
          const n = new Notification({ title: content.title, body: content.body });
          n.on('click', events.onClick);
          n.on('close', events.onClose);
          return n;
        },
        (tag) => {
          bringToFront(win);
          win.webContents.send(Channel.notificationClick, { tag });
        },
      ),
    };
    const id = win.webContents.id;
    this.byContents.set(id, record);

    if (!demo) this.rememberBounds(win, stateFile);
    win.on('close', (event) => {
      if (this.settings.hideOnClose()) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      record.notifications.closeAll();
      this.byContents.delete(id);
      this.settings.onPageGone(record);
      this.settings.onUnreadChanged();
    });
    // The renderer's unread total is gone with its page: a reload or crash reports it again.
    win.webContents.on('did-start-loading', () => {
      record.notifications.closeAll();
      record.unread = 0;
      this.settings.onPageGone(record);
      this.settings.onUnreadChanged();
    });

    if (/^https?:/.test(appUrl)) void win.loadURL(appUrl);
    else void win.loadFile(fileURLToPath(appUrl));
    return record;
  }

  /** Every webContents (windows, devtools, anything a bug might open) stays within the app. */
  guardContents(contents: WebContents): void {
    const { appUrl } = this.settings;
    const block = (what: string) => (details: { url: string; preventDefault(): void }) => {
      if (isAllowedNavigation(details.url, appUrl)) return;
      details.preventDefault();
      log.info({ what, scheme: safeScheme(details.url) }, 'navigation blocked');
      const link = externalLink(details.url);
      if (link && what === 'navigate') void shell.openExternal(link);
    };
    contents.on('will-frame-navigate', block('navigate'));
    contents.on('will-redirect', block('redirect'));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const link = externalLink(url);
      if (link) void shell.openExternal(link);
      return { action: 'deny' };
    });
  }

  private harden(ses: Session): void {
    if (this.hardened.has(ses)) return;
    this.hardened.add(ses);
    const { appUrl } = this.settings;
    ses.setPermissionRequestHandler((contents, permission, callback, details) => {
      const granted = this.of(contents) !== undefined && details.isMainFrame && isPermissionGranted(permission, details.requestingUrl, appUrl);
      if (!granted) log.info({ permission }, 'permission denied');
      callback(granted);
    });
    ses.setPermissionCheckHandler((contents, permission, _origin, details) => {
      const url = details.requestingUrl ?? contents?.getURL() ?? '';
      return contents !== null && this.of(contents) !== undefined && isPermissionGranted(permission, url, appUrl);
    });
    ses.setDevicePermissionHandler(() => false);
    ses.on('will-download', (event) => event.preventDefault());
  }

  private rememberBounds(win: BrowserWindow, stateFile: string): void {
    let timer: NodeJS.Timeout | null = null;
    const save = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
      try {
        saveWindowState(stateFile, captureState(win.getNormalBounds(), win.isMaximized()));
      } catch (err) {
        log.error({ err }, 'could not save the window state');
      }
    };
    const later = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 500);
    };
    win.on('resize', later);
    win.on('move', later);
    win.on('maximize', later);
    win.on('unmaximize', later);
    win.on('close', save);
  }
}

/** Logs keep the scheme of a blocked address, never the address (it may carry a token). */
function safeScheme(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}
