/**
 * Native notifications asked for by the renderer, kept by tag. The renderer decides whether a
 * message deserves one (muted, do not disturb, the conversation already open…) and when it is
 * no news any more (read here or on another device, recalled); main only shows, replaces,
 * closes, and reports clicks.
 *
 * Main holds every shown notification: an Electron `Notification` that is garbage-collected
 * no longer emits `click`, so a click on it would do nothing.
 */
import type { NotifyRequest } from '../../src/desktop/bridge';

export interface NativeNotification {
  show(): void;
  close(): void;
}

export type CreateNativeNotification = (
  content: { title: string; body: string },
  events: { onClick: () => void; onClose: () => void },
) => NativeNotification;

/** Enough for every conversation that could be unread at once; beyond it the oldest go. */
export const MAX_SHOWN = 50;

export class NotificationCenter {
  /** tag → notification, oldest first (Map keeps insertion order). */
  private readonly shown = new Map<string, NativeNotification>();

  constructor(
    private readonly create: CreateNativeNotification,
    /** A click: focus the window and tell the renderer, which opens the conversation. */
    private readonly activate: (tag: string) => void,
    private readonly max = MAX_SHOWN,
  ) {}

  /** Shows a notification; one with the same tag replaces the older one, as the web API does. */
  show({ tag, title, body }: NotifyRequest): void {
    this.close(tag);
    const n = this.create(
      { title, body },
      {
        onClick: () => {
          this.forget(tag, n);
          this.activate(tag);
        },
        // Dismissed by the person, or closed by us: either way it is gone.
        onClose: () => this.forget(tag, n),
      },
    );
    this.shown.set(tag, n);
    n.show();
    for (const [oldTag] of this.shown) {
      if (this.shown.size <= this.max) break;
      this.close(oldTag);
    }
  }

  close(tag: string): void {
    const n = this.shown.get(tag);
    if (!n) return;
    this.shown.delete(tag);
    n.close();
  }

  closeAll(): void {
    for (const tag of [...this.shown.keys()]) this.close(tag);
  }

  get size(): number {
    return this.shown.size;
  }

  /** Only if `n` is still the one under `tag` (a replaced one's late close must not drop its successor). */
  private forget(tag: string, n: NativeNotification): void {
    if (this.shown.get(tag) === n) this.shown.delete(tag);
  }
}
