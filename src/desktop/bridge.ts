/**
 * The one contract between the renderer and the Electron main process: channel names, a zod
 * schema for every message in each direction, and the type of `window.tidings`.
 *
 * Three processes import this file: the renderer (browser mode too), the sandboxed preload and
 * main. So it imports zod and nothing else: no `electron`, no Node module (checked by
 * electron/process-boundary.test.ts). Main parses everything the renderer sends with these
 * schemas, because a compromised renderer can send anything; the preload parses too, so a bug
 * in the renderer shows up as a thrown error where it was made rather than as a silent drop.
 */
import { z } from 'zod';

/** IPC channel names. Renderer → main: `send` (fire and forget) or `invoke` (answered). */
export const Channel = {
  /** send: show (or replace) a native notification. */
  notify: 'tidings:notify',
  /** send: close the notification with this tag, if it is still shown. */
  closeNotification: 'tidings:notification-close',
  /** send: the total unread (not muted) for the badge, overlay and tray. */
  setUnread: 'tidings:set-unread',
  /** send: the language the page shows, for the menu, tray and badge. */
  setLanguage: 'tidings:set-language',
  /** invoke: the bundled server's URL if this app runs it, else null. */
  bundledServer: 'tidings:bundled-server',
  /** invoke: this window signs in (or is signed in) on the bundled server: start it (or return the running one) and remember the choice. */
  startBundledServer: 'tidings:bundled-server-start',
  /** send: this window has no session on the bundled server (signed out, or on another server). */
  releaseBundledServer: 'tidings:bundled-server-release',
  /** main → renderer: a notification was clicked (the window is focused already). */
  notificationClick: 'tidings:notification-click',
  /** main → renderer: a menu, tray or second-instance command. */
  command: 'tidings:command',
} as const;
export type ChannelName = (typeof Channel)[keyof typeof Channel];

/** Bounds that no honest renderer reaches; they keep a hostile one from growing main's memory. */
export const LIMITS = { tag: 200, title: 200, body: 1_000, unread: 1_000_000, url: 2_048 } as const;

export const NotificationTagSchema = z.string().min(1).max(LIMITS.tag);

export const NotifyRequestSchema = z.strictObject({
  tag: NotificationTagSchema,
  title: z.string().max(LIMITS.title),
  body: z.string().max(LIMITS.body),
});
export type NotifyRequest = z.infer<typeof NotifyRequestSchema>;

/** A notification within the bridge's limits: a long group title must not make `notify` throw. */
export function notifyRequest(tag: string, title: string, body: string): NotifyRequest {
  return { tag, title: fit(title, LIMITS.title), body: fit(body, LIMITS.body) };
}

/** `text` in at most `max` UTF-16 units (what the schema counts), cut between code points, with an ellipsis. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

export const UnreadTotalSchema = z.number().int().min(0).max(LIMITS.unread);

/** The languages the app speaks (src/i18n/languages.ts; listed here too, as this file imports only zod). */
export const DesktopLanguageSchema = z.enum(['en', 'zh-CN']);
export type DesktopLanguage = z.infer<typeof DesktopLanguageSchema>;

export const NotificationClickSchema = z.strictObject({ tag: NotificationTagSchema });
export type NotificationClick = z.infer<typeof NotificationClickSchema>;

/** What menu accelerators (and the tray, and a second launch) ask the renderer to do. */
export const DesktopCommandSchema = z.enum(['go-to-conversation', 'search', 'new-chat']);
export type DesktopCommand = z.infer<typeof DesktopCommandSchema>;

/** A loopback http URL: the only kind of address the bundled server has. */
export const BundledServerSchema = z.strictObject({
  url: z
    .string()
    .max(LIMITS.url)
    .regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
});
export type BundledServer = z.infer<typeof BundledServerSchema>;
export const BundledServerReplySchema = BundledServerSchema.nullable();

/** Invocations take no argument; main refuses anything else, so the contract cannot drift. */
export const NoArgsSchema = z.tuple([]);

export const PlatformSchema = z.enum(['darwin', 'win32', 'linux', 'aix', 'freebsd', 'openbsd', 'sunos', 'android', 'cygwin', 'netbsd', 'haiku']);
/** A demo window's storage partition name (see electron/main/launch-options.ts). */
export const ProfileNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);
/** The demo account a demo window signs itself in to: a user name (the protocol's rule; this file imports only zod). */
export const DemoAccountSchema = z.string().regex(/^[a-z0-9_.-]{3,32}$/);

/** `window.tidings`: present only in the desktop app. */
export interface TidingsDesktopApi {
  readonly desktop: true;
  readonly platform: z.infer<typeof PlatformSchema>;
  /** The server this window should offer first on the sign-in screen (a demo window's server, or `TIDINGS_SERVER_URL`). */
  readonly serverUrl: string | null;
  /** The demo profile this window belongs to (its own storage partition), or null. */
  readonly profile: string | null;
  /** The demo account this window signs itself in to, if its server is the demo's (`npm run demo`), or null. */
  readonly demoAccount: string | null;
  notify(request: NotifyRequest): void;
  closeNotification(tag: string): void;
  /** Called with the tag of a clicked notification. Returns the unsubscribe function. */
  onNotificationClick(callback: (tag: string) => void): () => void;
  setUnread(total: number): void;
  /** The language the page shows: main's menu, tray and badge speak it too. */
  setLanguage(language: DesktopLanguage): void;
  onCommand(callback: (command: DesktopCommand) => void): () => void;
  bundledServer(): Promise<BundledServer | null>;
  startBundledServer(): Promise<BundledServer>;
  /** No session here on the bundled server: when no window has one, main stops it and no longer starts it with the app. */
  releaseBundledServer(): void;
}

/** The desktop bridge, or null in a browser (or if something other than our preload set it). */
export function desktopApi(): TidingsDesktopApi | null {
  const candidate = (globalThis as { tidings?: unknown }).tidings;
  if (typeof candidate !== 'object' || candidate === null) return null;
  const api = candidate as Partial<Record<keyof TidingsDesktopApi, unknown>>;
  if (api.desktop !== true) return null;
  for (const fn of ['notify', 'closeNotification', 'onNotificationClick', 'setUnread', 'setLanguage', 'onCommand', 'bundledServer', 'startBundledServer', 'releaseBundledServer'] as const) {
    if (typeof api[fn] !== 'function') return null;
  }
  return candidate as TidingsDesktopApi;
}

/** An http(s) origin, or null for anything else (a typo must not become a navigation target). */
export function serverOrigin(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}
