/**
 * Desktop notifications that follow the user's reading: each shown notification remembers its
 * message, and when the read position of its conversation passes it (read here, or on another
 * device within seconds) the notification is closed. A catch-up after being offline raises one
 * summary for what is still unread, never one per message.
 */
import { t } from '../../i18n';
export interface NotificationLike {
  close(): void;
}

export type CreateNotification = (title: string, options: { body: string; tag: string; onClick: () => void }) => NotificationLike;

export const SUMMARY_TAG = 'tidings-catch-up';
/** Notifications remembered at most (the oldest is closed past it): a busy, never-read conversation must not grow without end. */
export const MAX_SHOWN = 50;

export class Notifier {
  /** conversationId → notifications shown for its messages, by seq. */
  private readonly shown = new Map<string, Map<number, NotificationLike>>();
  /** Shown notifications, oldest first (entries already withdrawn are skipped when dropped). */
  private order: [string, number][] = [];
  private summary: { n: NotificationLike; conversations: Map<string, number> } | null = null;

  constructor(
    private readonly create: CreateNotification,
    private readonly open: (conversationId: string) => void,
  ) {}

  show(conversationId: string, seq: number, title: string, body: string): void {
    const n = this.create(title, {
      body,
      tag: `${conversationId}:${seq}`,
      onClick: () => {
        this.open(conversationId);
        n.close();
      },
    });
    const mine = this.shown.get(conversationId) ?? new Map<number, NotificationLike>();
    mine.set(seq, n);
    this.shown.set(conversationId, mine);
    this.order.push([conversationId, seq]);
    while (this.order.length > MAX_SHOWN) {
      const [oldConv, oldSeq] = this.order.shift() as [string, number];
      this.withdrawOne(oldConv, oldSeq);
    }
  }

  /** One notification for a catch-up: `unread` holds each conversation's newest unread seq and count. */
  showSummary(unread: ReadonlyMap<string, { seq: number; count: number }>, titles: readonly string[]): void {
    const total = [...unread.values()].reduce((n, u) => n + u.count, 0);
    if (total === 0) return;
    this.summary?.n.close();
    const first = [...unread.keys()][0] as string;
    const n = this.create(total === 1 ? t('notifications.newMessage') : t('notifications.newMessages', { count: total }), {
      body: t('notifications.inConversations', { titles: titles.join(', ') }),
      tag: SUMMARY_TAG,
      onClick: () => {
        this.open(first);
        n.close();
      },
    });
    this.summary = { n, conversations: new Map([...unread].map(([id, u]) => [id, u.seq])) };
  }

  /** The read position of a conversation reached `seq`: what it covers is no news any more. */
  withdraw(conversationId: string, seq: number): void {
    const mine = this.shown.get(conversationId);
    if (mine) {
      for (const [s, n] of [...mine]) {
        if (s <= seq) {
          n.close();
          mine.delete(s);
        }
      }
      if (mine.size === 0) this.shown.delete(conversationId);
    }
    const summary = this.summary;
    if (summary && (summary.conversations.get(conversationId) ?? Infinity) <= seq) {
      summary.conversations.delete(conversationId);
      if (summary.conversations.size === 0) {
        summary.n.close();
        this.summary = null;
      }
    }
  }

  /** The message at `seq` was recalled: its notification (and its text) go, whatever was read. */
  withdrawOne(conversationId: string, seq: number): void {
    const mine = this.shown.get(conversationId);
    mine?.get(seq)?.close();
    mine?.delete(seq);
    if (mine?.size === 0) this.shown.delete(conversationId);
  }

  /** The session ended: nothing it showed stays on screen. */
  closeAll(): void {
    for (const mine of this.shown.values()) for (const n of mine.values()) n.close();
    this.shown.clear();
    this.order = [];
    this.summary?.n.close();
    this.summary = null;
  }
}
