/**
 * Wires the client's incoming messages and read moves to desktop notifications (the web
 * `Notification` API; the desktop app routes the same calls to native ones).
 */
import type { Message } from '../../protocol';
import type { StoredConversation } from '../../store/db';
import { useUi } from '../../state/connection';
import type { ClientOptions, TidingsClient } from '../../sync/client';
import { conversationTitle } from '../titles';
import { displayName } from '../use-users';
import { hasAttention } from '../hooks/use-attention';
import { desktopApi, notifyRequest, type TidingsDesktopApi } from '../../desktop/bridge';
import { Notifier, type CreateNotification } from './notifier';
import { dndActive, shouldNotify } from './notify-rules';
import { storedPrefs } from '../../sync/settings';

/**
 * A catch-up that brought this many notifiable messages or more shows one summary; a single
 * one is shown as itself (its sender and text say more than "1 new message").
 */
export const SUMMARY_FROM = 2;
const BODY_MAX = 140;

/** Showing notifications, and what to undo when the session ends. */
interface Notifications {
  create: CreateNotification;
  dispose: () => void;
}

/** In the desktop app: native notifications through the bridge; clicks come back by tag. */
function desktopNotifications(api: TidingsDesktopApi): Notifications {
  const clicks = new Map<string, () => void>();
  const unsubscribe = api.onNotificationClick((tag) => {
    const click = clicks.get(tag);
    clicks.delete(tag);
    click?.();
  });
  return {
    create: (title, { body, tag, onClick }) => {
      clicks.set(tag, onClick);
      api.notify(notifyRequest(tag, title, body));
      return {
        close: () => {
          clicks.delete(tag);
          api.closeNotification(tag);
        },
      };
    },
    dispose: () => {
      unsubscribe();
      clicks.clear();
    },
  };
}

/** What the service worker posts when one of its notifications is clicked (src/public/sw.js). */
const SW_CLICK = 'tidings:notification-click';

/**
 * In the browser: `new Notification()`, or, where the page may not construct one (Chrome on
 * Android throws "Illegal constructor"; installed web apps on phones), the service worker's
 * `showNotification`, whose clicks the worker posts back by tag.
 */
function browserNotifications(): Notifications | null {
  if (typeof Notification === 'undefined') return null;
  const sw = typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? navigator.serviceWorker : null;
  const clicks = new Map<string, () => void>();
  const onMessage = (e: MessageEvent) => {
    const data = e.data as { type?: unknown; tag?: unknown } | null;
    if (data?.type !== SW_CLICK || typeof data.tag !== 'string') return;
    const click = clicks.get(data.tag);
    clicks.delete(data.tag);
    click?.();
  };
  sw?.addEventListener('message', onMessage);
  const viaWorker: CreateNotification = (title, { body, tag, onClick }) => {
    clicks.set(tag, onClick);
    const ready = sw?.ready;
    // The page's address, so the worker brings this page forward (not another tab or profile).
    void ready?.then((r) => r.showNotification(title, { body, tag, data: { url: location.href } })).catch(() => clicks.delete(tag));
    return {
      close: () => {
        clicks.delete(tag);
        void ready
          ?.then((r) => r.getNotifications({ tag }))
          .then((shown) => shown.forEach((n) => n.close()))
          .catch(() => {});
      },
    };
  };
  let constructible = true;
  return {
    create: (title, options) => {
      if (constructible) {
        try {
          const n = new Notification(title, { body: options.body, tag: options.tag });
          n.onclick = options.onClick;
          return n;
        } catch {
          constructible = false;
        }
      }
      return viaWorker(title, options);
    },
    dispose: () => {
      sw?.removeEventListener('message', onMessage);
      clicks.clear();
      // The session ended: no text of it stays in the system's tray, also from an earlier load.
      if (!constructible) {
        void sw?.ready
          .then((r) => r.getNotifications())
          .then((shown) => shown.forEach((n) => n.close()))
          .catch(() => {});
      }
    },
  };
}

function defaultNotifications(): Notifications | null {
  const api = desktopApi();
  return api ? desktopNotifications(api) : browserNotifications();
}

/** What the hooks ask of the page around them; tests, which have no DOM, give their own. */
export interface NotificationPage {
  /** The person is looking at the window (focused and visible). */
  attention: () => boolean;
  /** Notifications may be shown: permission granted, or the desktop app's native ones. */
  allowed: () => boolean;
  /** Brings the window to the front (a notification was clicked). */
  focus: () => void;
}

const browserPage: NotificationPage = {
  attention: hasAttention,
  // The desktop app's native notifications need no web permission.
  allowed: () => desktopApi() !== null || (typeof Notification !== 'undefined' && Notification.permission === 'granted'),
  focus: () => window.focus(),
};

/**
 * The client's hooks that raise and withdraw notifications; `dispose`, which closes every
 * notification still shown (their text must not outlive the session) and stops listening; and
 * `idle`, which resolves once every decision begun so far is shown or dropped (a decision
 * reads the store first, so "nothing was shown" can only be told after it).
 */
export function notificationHooks(
  client: () => TidingsClient | null,
  shown = defaultNotifications(),
  page: NotificationPage = browserPage,
): { hooks: Pick<ClientOptions, 'onIncoming' | 'onReadMoved' | 'onLive' | 'onRecalled'>; dispose: () => void; idle: () => Promise<void> } {
  if (!shown) return { hooks: {}, dispose: () => {}, idle: () => Promise.resolve() };
  const notifier = new Notifier(shown.create, (id) => {
    page.focus();
    useUi.getState().openConversation(id);
  });
  let caughtUp: Message[] = [];

  /**
   * `messages` as stored now, once each: a message pulled early in a catch-up can be recalled
   * before the catch-up ends (its event still carries the text), and that text must not show.
   */
  async function asStoredNow(c: TidingsClient, messages: readonly Message[]): Promise<Message[]> {
    const once = new Map(messages.map((m) => [m.msgId, m]));
    const rows = await c.db.messages.where('msgId').anyOf([...once.keys()]).toArray();
    const recalled = new Map(rows.flatMap((r) => (r.msgId !== null && r.recalledBy !== null ? [[r.msgId, r.recalledBy] as const] : [])));
    return [...once.values()].map((m) => {
      const by = recalled.get(m.msgId);
      return by === undefined ? m : { ...m, text: '', recalledBy: by };
    });
  }

  /** The messages among `messages` that deserve a notification now, with their titles. */
  async function notifiable(c: TidingsClient, incoming: readonly Message[]) {
    const messages = await asStoredNow(c, incoming);
    const dnd = dndActive((await storedPrefs(c.db)).dnd, new Date());
    const ctx = { me: c.me, openConversationId: useUi.getState().openConversationId, attention: page.attention(), allowed: page.allowed(), dnd };
    const out: { m: Message; title: string; body: string }[] = [];
    const chosen: { m: Message; conv: StoredConversation }[] = [];
    for (const m of messages) {
      const conv = await c.db.conversations.get(m.conversationId);
      if (conv && shouldNotify(m, conv, ctx)) chosen.push({ m, conv });
    }
    // A group member this device has no profile of yet (their first message) is named, not "Someone".
    await c.ensureUsers(chosen.map(({ m }) => m.senderId)).catch(() => {});
    for (const { m, conv } of chosen) {
      const users = new Map((await c.db.users.bulkGet([...conv.memberIds, m.senderId])).flatMap((u) => (u ? [[u.id, u] as const] : [])));
      const title = conversationTitle(conv, c.me, users);
      const text = [...m.text].length > BODY_MAX ? `${[...m.text].slice(0, BODY_MAX - 1).join('')}…` : m.text;
      out.push({ m, title, body: conv.kind === 'group' ? `${displayName(users.get(m.senderId))}: ${text}` : text });
    }
    return out;
  }

  /** A catch-up's news: one message as itself, more as one summary (never one per message). */
  function showCatchUp(list: Awaited<ReturnType<typeof notifiable>>): void {
    if (list.length < SUMMARY_FROM) {
      for (const { m, title, body } of list) notifier.show(m.conversationId, m.seq, title, body);
      return;
    }
    const unread = new Map<string, { seq: number; count: number }>();
    const titles = new Map<string, string>();
    for (const { m, title } of list) {
      const u = unread.get(m.conversationId) ?? { seq: 0, count: 0 };
      unread.set(m.conversationId, { seq: Math.max(u.seq, m.seq), count: u.count + 1 });
      titles.set(m.conversationId, title);
    }
    notifier.showSummary(unread, [...titles.values()]);
  }

  const failed = (err: unknown) => console.warn('[tidings] notifications', err);
  const deciding = new Set<Promise<void>>();
  const decide = (work: Promise<void>) => {
    const done = work.catch(failed);
    deciding.add(done);
    void done.finally(() => deciding.delete(done));
  };
  const hooks: Pick<ClientOptions, 'onIncoming' | 'onReadMoved' | 'onLive' | 'onRecalled'> = {
    onIncoming: (messages, live) => {
      const c = client();
      if (!c) return;
      if (!live) {
        caughtUp.push(...messages);
        return;
      }
      decide(
        notifiable(c, messages).then((list) => {
          for (const { m, title, body } of list) notifier.show(m.conversationId, m.seq, title, body);
        }),
      );
    },
    onLive: () => {
      const c = client();
      const pending = caughtUp;
      caughtUp = [];
      if (!c || pending.length === 0) return;
      // Judged after the catch-up applied every read: what was read elsewhere is not news.
      decide(notifiable(c, pending).then(showCatchUp));
    },
    onReadMoved: (conversationId, seq) => notifier.withdraw(conversationId, seq),
    onRecalled: (conversationId, seq) => notifier.withdrawOne(conversationId, seq),
  };
  return {
    hooks,
    dispose: () => {
      notifier.closeAll();
      shown.dispose();
    },
    idle: async () => {
      while (deciding.size > 0) await Promise.all([...deciding]);
    },
  };
}
