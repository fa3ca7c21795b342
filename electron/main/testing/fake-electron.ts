/**
 * A stand-in for the `electron` module, enough for the main process's wiring to run in plain
 * Node under vitest (`vi.mock('electron', …)`): windows, webContents, sessions, IPC, menus,
 * tray, notifications and the app's lifecycle events, recorded in `state` for the tests.
 */
type Listener = (...args: unknown[]) => unknown;

export function createFakeElectron() {
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
    /** What `app.getLocale()` answers: the system's language. */
    locale: 'en-US',
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
    /** The Windows taskbar overlay last set: its image (null: none) and accessible description. */
    overlay: { image: { path: string } | null; description: string } | null = null;
    setOverlayIcon(image: { path: string } | null, description: string) {
      this.overlay = { image, description };
    }
    title = '';
    setTitle(title: string) {
      this.title = title;
    }
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
    getLocale: () => state.locale,
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
  return { electron, state, defaultSession, partitions, cancellable };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
