/**
 * Every IPC message main accepts, in one table. Each is parsed with the bridge's schemas and
 * comes from one of the app's own windows (its top frame, showing the app's page) or it is
 * dropped: a `send` is ignored, an `invoke` is refused with an error. Nothing else is listened
 * to, so a compromised renderer can ask main for no more than the bridge offers.
 *
 * Written against a small `IpcMainLike` so the checks run in plain Node tests; index.ts passes
 * Electron's `ipcMain`.
 */
import { z } from 'zod';
import {
  Channel,
  DesktopLanguageSchema,
  NoArgsSchema,
  NotificationTagSchema,
  NotifyRequestSchema,
  UnreadTotalSchema,
  type BundledServer,
  type DesktopLanguage,
  type NotifyRequest,
} from '../../src/desktop/bridge';

export interface IpcFrameLike {
  url: string;
  /** null for a window's top frame. */
  parent: unknown;
}

export interface IpcEventLike {
  sender: unknown;
  senderFrame: IpcFrameLike | null;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): unknown;
}

export interface DesktopHandlers {
  notify(request: NotifyRequest, sender: unknown): void;
  closeNotification(tag: string, sender: unknown): void;
  setUnread(total: number, sender: unknown): void;
  setLanguage(language: DesktopLanguage, sender: unknown): void;
  bundledServer(): Promise<BundledServer | null>;
  startBundledServer(sender: unknown): Promise<BundledServer>;
  releaseBundledServer(sender: unknown): void;
}

export interface IpcGuard {
  /** The sender is a webContents of one of the app's windows. */
  isAppWindow(sender: unknown): boolean;
  /** The URL is the app's own page (its file, or the dev server in development). */
  isAppUrl(url: string): boolean;
}

export type Refusal = 'sender' | 'payload';

export function isTrustedSender(event: IpcEventLike, guard: IpcGuard): boolean {
  const frame = event.senderFrame;
  return guard.isAppWindow(event.sender) && frame !== null && frame.parent === null && guard.isAppUrl(frame.url);
}

export function registerIpc(
  ipc: IpcMainLike,
  guard: IpcGuard,
  handlers: DesktopHandlers,
  onRefused: (channel: string, reason: Refusal) => void = () => undefined,
): void {
  function send<T extends z.ZodTuple>(channel: string, args: T, run: (parsed: z.infer<T>, sender: unknown) => void) {
    ipc.on(channel, (event, ...raw) => {
      if (!isTrustedSender(event, guard)) return onRefused(channel, 'sender');
      const parsed = args.safeParse(raw);
      if (!parsed.success) return onRefused(channel, 'payload');
      run(parsed.data, event.sender);
    });
  }
  function invoke<R>(channel: string, run: (sender: unknown) => Promise<R>) {
    ipc.handle(channel, async (event, ...raw) => {
      if (!isTrustedSender(event, guard)) {
        onRefused(channel, 'sender');
        throw new Error('refused');
      }
      if (!NoArgsSchema.safeParse(raw).success) {
        onRefused(channel, 'payload');
        throw new Error('bad request');
      }
      return run(event.sender);
    });
  }

  send(Channel.notify, z.tuple([NotifyRequestSchema]), ([request], sender) => handlers.notify(request, sender));
  send(Channel.closeNotification, z.tuple([NotificationTagSchema]), ([tag], sender) => handlers.closeNotification(tag, sender));
  send(Channel.setUnread, z.tuple([UnreadTotalSchema]), ([total], sender) => handlers.setUnread(total, sender));
  send(Channel.setLanguage, z.tuple([DesktopLanguageSchema]), ([language], sender) => handlers.setLanguage(language, sender));
  send(Channel.releaseBundledServer, NoArgsSchema, (_none, sender) => handlers.releaseBundledServer(sender));
  invoke(Channel.bundledServer, () => handlers.bundledServer());
  invoke(Channel.startBundledServer, (sender) => handlers.startBundledServer(sender));
}
