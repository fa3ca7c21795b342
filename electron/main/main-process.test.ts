/**
 * The main process's wiring, run in plain Node against a stand-in for the `electron` module
 * (the Electron binary cannot be had everywhere the tests run). It checks that index.ts,
 * app-windows.ts and desktop-shell.ts connect the tested decisions to the Electron calls:
 * the window's settings, IPC through the bridge only, a notification click, the badge and tray,
 * permissions and navigation, a second launch, the bundled server for real, and a clean quit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Channel } from '../../src/desktop/bridge';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    private readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      const wrapped: Listener = (...args) => {
        this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
        return listener(...args);
      };
      return this.on(event, wrapped);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
  }
  const cancellable = () => ({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } });

  const state = {
    windows: [] as FakeWindow[],
    notifications: [] as FakeNotification[],
    external: [] as string[],
    badge: -1,
    menu: null as { template: unknown[] } | null,
    tray: null as FakeTray | null,
    quit: false,
    on: new Map<string, Listener>(),
    handle: new Map<string, Listener>(),
    paths: new Map<string, string>(),
  };

  let nextId = 1;
  class FakeWebContents extends Emitter {
    id = nextId++;
    url = '';
    sent: [string, unknown][] = [];
    openHandler: ((d: { url: string }) => { action: string }) | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.openHandler = h;
    }
    getURL() {
      return this.url;
    }
  }
  class FakeWindow extends Emitter {
    static focused: FakeWindow | null = null;
    static getFocusedWindow() {
      return FakeWindow.focused;
    }
    static getAllWindows() {
      return state.windows.filter((w) => !w.destroyed);
    }
    webContents = new FakeWebContents();
    visible = false;
    minimized = false;
    maximized = false;
    destroyed = false;
    bounds = { x: 10, y: 20, width: 900, height: 700 };
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    private load(url: string) {
      this.webContents.url = url;
      this.webContents.emit('did-start-loading');
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
      return Promise.resolve();
    }
    loadFile(path: string) {
      return this.load(`file://${path}`);
    }
    loadURL(url: string) {
      return this.load(url);
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {
      FakeWindow.focused = this;
    }
    restore() {
      this.minimized = false;
    }
    maximize() {
      this.maximized = true;
    }
    isVisible() {
      return this.visible;
    }
    isMinimized() {
      return this.minimized;
    }
    isMaximized() {
      return this.maximized;
    }
    isFullScreen() {
      return false;
    }
    isDestroyed() {
      return this.destroyed;
    }
    getNormalBounds() {
      return this.bounds;
    }
    getPosition() {
      return [this.bounds.x, this.bounds.y];
    }
    setPosition(x: number, y: number) {
      this.bounds = { ...this.bounds, x, y };
    }
    setOverlayIcon() {}
    close() {
      const event = cancellable();
      this.emit('close', event);
      if (event.defaultPrevented) return;
      this.destroyed = true;
      this.emit('closed');
      if (FakeWindow.getAllWindows().length === 0) app.emit('window-all-closed');
    }
  }
  class FakeSession extends Emitter {
    request: Listener | null = null;
    check: Listener | null = null;
    setPermissionRequestHandler(h: Listener) {
      this.request = h;
    }
    setPermissionCheckHandler(h: Listener) {
      this.check = h;
    }
    setDevicePermissionHandler() {}
  }
  class FakeNotification extends Emitter {
    shown = false;
    closed = false;
    constructor(readonly options: { title: string; body: string }) {
      super();
      state.notifications.push(this);
    }
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
      this.emit('close');
    }
  }
  class FakeTray extends Emitter {
    image: { path: string } | null = null;
    tooltip = '';
    menu: { template: { label?: string; click?: () => void }[] } | null = null;
    constructor(image: { path: string }) {
      super();
      this.image = image;
      state.tray = this;
    }
    setImage(image: { path: string }) {
      this.image = image;
    }
    setToolTip(t: string) {
      this.tooltip = t;
    }
    setTitle() {}
    setContextMenu(m: { template: { label?: string; click?: () => void }[] }) {
      this.menu = m;
    }
    destroy() {}
  }

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getPath: (name: string) => state.paths.get(name) ?? `/nonexistent/${name}`,
    setPath: (name: string, value: string) => state.paths.set(name, value),
    getAppPath: () => process.cwd(),
    enableSandbox() {},
    setAppUserModelId() {},
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    setBadgeCount: (n: number) => {
      state.badge = n;
      return true;
    },
    dock: undefined,
    exit: (code: number) => {
      throw new Error(`app.exit(${code})`);
    },
    quit() {
      app.emit('before-quit', cancellable());
      const event = cancellable();
      app.emit('will-quit', event);
      if (!event.defaultPrevented) state.quit = true;
    },
  });
  const defaultSession = new FakeSession();
  const partitions = new Map<string, FakeSession>();

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Notification: FakeNotification,
    Tray: FakeTray,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession,
      fromPartition: (p: string) => partitions.get(p) ?? partitions.set(p, new FakeSession()).get(p),
    },
    ipcMain: {
      on: (channel: string, l: Listener) => state.on.set(channel, l),
      handle: (channel: string, l: Listener) => state.handle.set(channel, l),
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (m: { template: unknown[] }) => {
        state.menu = m;
      },
    },
    nativeImage: { createFromPath: (path: string) => ({ path, isEmpty: () => false }) },
    shell: {
      openExternal: (url: string) => {
        state.external.push(url);
        return Promise.resolve();
      },
    },
  };
  return { electron, state, defaultSession, cancellable };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

function status(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).once('error', reject);
  });
}

describe('main process wiring (with a stand-in for Electron)', () => {
  const appData = mkdtempSync(join(tmpdir(), 'tidings-main-'));
  fake.state.paths.set('appData', appData);
  afterAll(() => rmSync(appData, { recursive: true, force: true }));

  it('[DESK-21] one secure window; IPC only from it; a notification click focuses it and opens the conversation; badge, tray, permissions, navigation, second launch, bundled server and quit', async () => {
    const { state } = fake;
    await import('./index');
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const win = state.windows[0]!;
    const contents = win.webContents;
    const userData = join(appData, 'Tidings (dev)');
    expect(state.paths.get('userData')).toBe(userData);

    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, session: fake.defaultSession });
    expect(win.visible).toBe(true);
    const appUrl = contents.url;
    expect(appUrl).toMatch(/^file:.*\/renderer\/index\.html$/);

    // IPC: from the window's top frame showing the app page, or not at all.
    const fromApp = { sender: contents, senderFrame: { url: appUrl, parent: null } };
    const stranger = { sender: { id: 999 }, senderFrame: { url: appUrl, parent: null } };
    expect(await state.handle.get(Channel.bundledServer)?.(fromApp)).toBeNull();
    state.on.get(Channel.notify)?.(stranger, { tag: 'c1:3', title: 'Bob', body: 'psst' });
    // The window's own webContents, but showing some other page (say, after a navigation slipped through).
    state.on.get(Channel.notify)?.({ sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } }, { tag: 'c1:3', title: 'Bob', body: 'psst' });
    state.on.get(Channel.notify)?.(fromApp, { tag: 'c1:3', title: 'Bob', body: 'hi', extra: 1 });
    expect(state.notifications).toHaveLength(0);
    state.on.get(Channel.notify)?.(fromApp, { tag: 'c1:3', title: 'Bob', body: 'hi' });
    expect(state.notifications).toHaveLength(1);
    const n = state.notifications[0]!;
    expect(n.shown).toBe(true);

    win.hide();
    n.emit('click');
    expect(win.visible).toBe(true);
    expect(contents.sent).toContainEqual([Channel.notificationClick, { tag: 'c1:3' }]);

    // Badge and tray.
    state.on.get(Channel.setUnread)?.(fromApp, 120);
    expect(state.badge).toBe(120);
    expect(state.tray?.tooltip).toBe('Tidings — 99+ unread messages');
    expect(state.tray?.image?.path).toMatch(/build\/tray-unread\.png$/);
    expect(existsSync(state.tray!.image!.path)).toBe(true);
    state.on.get(Channel.setUnread)?.(stranger, 5);
    expect(state.badge).toBe(120);

    // Menu: Ctrl/Cmd+K reaches the renderer as a command.
    const flat = (items: unknown[]): { accelerator?: string; click?: () => void; submenu?: unknown[] }[] =>
      (items as { submenu?: unknown[] }[]).flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
    flat(state.menu?.template ?? []).find((i) => i.accelerator === 'CmdOrCtrl+K')?.click?.();
    expect(contents.sent).toContainEqual([Channel.command, 'go-to-conversation']);

    // Permissions and navigation.
    const answers: boolean[] = [];
    fake.defaultSession.request?.(contents, 'notifications', (ok: boolean) => answers.push(ok), { isMainFrame: true, requestingUrl: appUrl });
    fake.defaultSession.request?.(contents, 'media', (ok: boolean) => answers.push(ok), { isMainFrame: true, requestingUrl: appUrl });
    expect(answers).toEqual([true, false]);
    const nav = { url: 'https://example.org/page', ...fake.cancellable() };
    contents.emit('will-frame-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    expect(state.external).toEqual(['https://example.org/page']);
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.external).toHaveLength(1);

    // A second launch brings the window back and passes its command.
    win.minimized = true;
    fake.electron.app.emit('second-instance', {}, ['tidings', '--tidings-command=new-chat']);
    expect(win.minimized).toBe(false);
    expect(contents.sent.at(-1)).toEqual([Channel.command, 'new-chat']);

    // The bundled server, chosen on the sign-in screen: real, in the app's data folder.
    const started = (await state.handle.get(Channel.startBundledServer)?.(fromApp)) as { url: string };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await status(`${started.url}/healthz`)).toBe(200);
    expect(JSON.parse(readFileSync(join(userData, 'server', 'bundled-server.json'), 'utf8'))).toEqual({ port: Number(new URL(started.url).port) });
    expect(await state.handle.get(Channel.bundledServer)?.(fromApp)).toEqual(started);

    // Closing the window (Linux: the app quits) saves its bounds, stops the server, then quits.
    win.close();
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: false });
    await vi.waitFor(() => expect(state.quit).toBe(true));
    await expect(status(`${started.url}/healthz`)).rejects.toThrow();
  });
});
