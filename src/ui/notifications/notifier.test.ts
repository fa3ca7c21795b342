import { describe, expect, it } from 'vitest';
import type { Message } from '../../protocol';
import type { StoredConversation } from '../../store/db';
import { MAX_SHOWN, Notifier, SUMMARY_TAG, type CreateNotification } from './notifier';
import { dndActive, shouldNotify, type NotifyContext } from './notify-rules';

function fakeNotifications() {
  const shown: { title: string; body: string; tag: string; closed: boolean; click: () => void }[] = [];
  const create: CreateNotification = (title, o) => {
    const n = { title, body: o.body, tag: o.tag, closed: false, click: o.onClick };
    shown.push(n);
    return { close: () => (n.closed = true) };
  };
  return { shown, create };
}

describe('notifier', () => {
  it('[NOTIFY-1] a notification is withdrawn when the read position passes its message, here or on another device', () => {
    const { shown, create } = fakeNotifications();
    const opened: string[] = [];
    const notifier = new Notifier(create, (id) => opened.push(id));
    notifier.show('c', 5, 'Bob', 'one');
    notifier.show('c', 6, 'Bob', 'two');
    notifier.show('d', 2, 'Team', 'Carol: hi');
    notifier.withdraw('c', 5);
    expect(shown.map((n) => n.closed)).toEqual([true, false, false]);
    notifier.withdraw('c', 9);
    expect(shown.map((n) => n.closed)).toEqual([true, true, false]);
    shown[2]?.click();
    expect(opened).toEqual(['d']);
    expect(shown[2]?.closed).toBe(true);
  });

  it('[NOTIFY-7] a recalled message’s notification is closed, read or not', () => {
    const { shown, create } = fakeNotifications();
    const notifier = new Notifier(create, () => {});
    notifier.show('c', 5, 'Bob', 'oops, a secret');
    notifier.show('c', 6, 'Bob', 'and more');
    notifier.withdrawOne('c', 5);
    expect(shown.map((n) => n.closed)).toEqual([true, false]);
  });

  it('[NOTIFY-8] at most MAX_SHOWN notifications stay open, the oldest closed first; signing out closes them all', () => {
    const { shown, create } = fakeNotifications();
    const notifier = new Notifier(create, () => {});
    for (let seq = 1; seq <= MAX_SHOWN + 2; seq++) notifier.show('busy', seq, 'Bob', `line ${seq}`);
    expect(shown.filter((n) => n.closed).map((n) => n.tag)).toEqual(['busy:1', 'busy:2']);
    notifier.showSummary(new Map([['quiet', { seq: 9, count: 4 }]]), ['Quiet']);
    notifier.closeAll();
    expect(shown.every((n) => n.closed)).toBe(true);
    // Nothing is left to close twice, and new ones start from empty.
    notifier.show('busy', 99, 'Bob', 'after');
    notifier.withdraw('busy', 99);
    expect(shown.at(-1)?.closed).toBe(true);
  });

  it('[NOTIFY-2] a catch-up is one summary, withdrawn once every conversation in it is read', () => {
    const { shown, create } = fakeNotifications();
    const notifier = new Notifier(create, () => {});
    notifier.showSummary(
      new Map([
        ['c', { seq: 8, count: 3 }],
        ['d', { seq: 4, count: 2 }],
      ]),
      ['Bob', 'Team'],
    );
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ title: '5 new messages', body: 'In Bob, Team', tag: SUMMARY_TAG, closed: false });
    notifier.withdraw('c', 7);
    notifier.withdraw('d', 4);
    expect(shown[0]?.closed).toBe(false);
    notifier.withdraw('c', 8);
    expect(shown[0]?.closed).toBe(true);
  });
});

const conv = (over: Partial<StoredConversation> = {}) => ({ id: 'c', lastReadSeq: 3, leftSeq: null, ...over }) as StoredConversation;
const msg = (over: Partial<Message> = {}): Message => ({
  msgId: '1',
  conversationId: 'c',
  seq: 4,
  senderId: '2',
  clientMsgId: 'x',
  text: 'hello',
  serverTime: 1,
  system: null,
  recalledBy: null,
  replyTo: null,
  mentions: null,
  ...over,
});
const ctx = (over: Partial<NotifyContext> = {}): NotifyContext => ({ me: '1', openConversationId: null, attention: true, allowed: true, dnd: false, ...over });

describe('notify rules', () => {
  it('[NOTIFY-3] someone else’s unread message in another conversation, or while the window is not looked at, notifies', () => {
    expect(shouldNotify(msg(), conv(), ctx())).toBe(true);
    expect(shouldNotify(msg(), conv(), ctx({ openConversationId: 'c', attention: false }))).toBe(true);
    expect(shouldNotify(msg(), conv(), ctx({ openConversationId: 'd' }))).toBe(true);
  });

  it('[NOTIFY-4] never for the open conversation being looked at, one’s own, system lines, recalled, read elsewhere, left groups, or without permission', () => {
    expect(shouldNotify(msg(), conv(), ctx({ openConversationId: 'c' }))).toBe(false);
    expect(shouldNotify(msg({ senderId: '1' }), conv(), ctx())).toBe(false);
    expect(shouldNotify(msg({ system: { type: 'left' } }), conv(), ctx())).toBe(false);
    expect(shouldNotify(msg({ recalledBy: '2', text: '' }), conv(), ctx())).toBe(false);
    expect(shouldNotify(msg({ seq: 3 }), conv(), ctx())).toBe(false);
    expect(shouldNotify(msg(), conv({ leftSeq: 2 }), ctx())).toBe(false);
    expect(shouldNotify(msg(), conv(), ctx({ allowed: false }))).toBe(false);
    expect(shouldNotify(msg(), undefined, ctx())).toBe(false);
  });
});

describe('do not disturb, muted and mentions', () => {
  it('[NOTIFY-5] muted never notifies; Mentions only notifies for a mention of the user or of everyone', () => {
    expect(shouldNotify(msg(), conv({ notify: 'muted' }), ctx())).toBe(false);
    expect(shouldNotify(msg({ mentions: { userIds: ['1'], all: false } }), conv({ notify: 'muted' }), ctx())).toBe(false);
    expect(shouldNotify(msg(), conv({ notify: 'mentions' }), ctx())).toBe(false);
    expect(shouldNotify(msg({ mentions: { userIds: ['3'], all: false } }), conv({ notify: 'mentions' }), ctx())).toBe(false);
    expect(shouldNotify(msg({ mentions: { userIds: ['1'], all: false } }), conv({ notify: 'mentions' }), ctx())).toBe(true);
    expect(shouldNotify(msg({ mentions: { userIds: [], all: true } }), conv({ notify: 'mentions' }), ctx())).toBe(true);
    expect(shouldNotify(msg(), conv({ notify: 'all' }), ctx())).toBe(true);
  });

  it('[NOTIFY-6] do not disturb silences everything, mentions too', () => {
    expect(shouldNotify(msg({ mentions: { userIds: ['1'], all: true } }), conv(), ctx({ dnd: true }))).toBe(false);
  });

  it('[DND-1] on without a schedule is always; with one only inside it, across midnight too', () => {
    const at = (h: number, m = 0) => new Date(2026, 11, 1, h, m);
    expect(dndActive({ on: false, from: null, to: null }, at(12))).toBe(false);
    expect(dndActive({ on: false, from: '00:00', to: '23:59' }, at(12))).toBe(false);
    expect(dndActive({ on: true, from: null, to: null }, at(12))).toBe(true);
    const night = { on: true, from: '22:00', to: '07:00' };
    expect(dndActive(night, at(23))).toBe(true);
    expect(dndActive(night, at(6, 59))).toBe(true);
    expect(dndActive(night, at(7))).toBe(false);
    expect(dndActive(night, at(21, 59))).toBe(false);
    const lunch = { on: true, from: '12:00', to: '13:30' };
    expect(dndActive(lunch, at(12, 45))).toBe(true);
    expect(dndActive(lunch, at(13, 30))).toBe(false);
  });
});
