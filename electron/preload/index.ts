/**
 * The preload: the only bridge between the sandboxed renderer and the main process. It exposes
 * exactly `TidingsDesktopApi` (src/desktop/bridge.ts) as `window.tidings`, never `ipcRenderer`
 * itself nor an IPC event (whose `sender` would hand the page the whole IPC surface). What the
 * renderer sends is parsed here with the bridge's schemas (a bug throws where it was made) and
 * again in main (which trusts no renderer); what main sends is parsed before it is passed on.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BundledServerReplySchema,
  BundledServerSchema,
  Channel,
  DemoAccountSchema,
  DesktopCommandSchema,
  DesktopLanguageSchema,
  NotificationClickSchema,
  NotificationTagSchema,
  NotifyRequestSchema,
  PlatformSchema,
  ProfileNameSchema,
  serverOrigin,
  UnreadTotalSchema,
  type TidingsDesktopApi,
} from '../../src/desktop/bridge';

/** Main passes this window's settings as command-line switches (`webPreferences.additionalArguments`). */
function argument(name: string): string | null {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? null;
}

function serverUrlArgument(): string | null {
  return serverOrigin(argument('tidings-server-url'));
}

/** Subscribes `callback` to a main → renderer channel, passing only the parsed payload on. */
function subscribe<T>(channel: string, parse: (payload: unknown) => T | null, callback: (value: T) => void): () => void {
  const listener = (_event: IpcRendererEvent, payload: unknown) => {
    const value = parse(payload);
    if (value !== null) callback(value);
  };
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

const profile = ProfileNameSchema.safeParse(argument('tidings-profile'));
const demoAccount = DemoAccountSchema.safeParse(argument('tidings-demo-account'));

const api: TidingsDesktopApi = {
  desktop: true,
  platform: PlatformSchema.catch('linux').parse(process.platform),
  serverUrl: serverUrlArgument(),
  profile: profile.success ? profile.data : null,
  demoAccount: demoAccount.success ? demoAccount.data : null,
  notify(request) {
    ipcRenderer.send(Channel.notify, NotifyRequestSchema.parse(request));
  },
  closeNotification(tag) {
    ipcRenderer.send(Channel.closeNotification, NotificationTagSchema.parse(tag));
  },
  onNotificationClick(callback) {
    return subscribe(Channel.notificationClick, (p) => NotificationClickSchema.safeParse(p).data ?? null, (click) => callback(click.tag));
  },
  setUnread(total) {
    ipcRenderer.send(Channel.setUnread, UnreadTotalSchema.parse(total));
  },
  setLanguage(language) {
    ipcRenderer.send(Channel.setLanguage, DesktopLanguageSchema.parse(language));
  },
  onCommand(callback) {
    return subscribe(Channel.command, (p) => DesktopCommandSchema.safeParse(p).data ?? null, callback);
  },
  async bundledServer() {
    return BundledServerReplySchema.parse(await ipcRenderer.invoke(Channel.bundledServer));
  },
  async startBundledServer() {
    return BundledServerSchema.parse(await ipcRenderer.invoke(Channel.startBundledServer));
  },
  releaseBundledServer() {
    ipcRenderer.send(Channel.releaseBundledServer);
  },
};

contextBridge.exposeInMainWorld('tidings', api);
