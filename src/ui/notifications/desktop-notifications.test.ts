/**
 * The wiring from the sync client to the notifier (`notificationHooks`), on a real server with a
 * real `TidingsClient` over fake-indexeddb: a device goes offline, things happen elsewhere, and
 * what it shows when it catches up is judged by the real rules, after the catch-up's reads.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TidingsClient } from '../../sync/client';
import { storedPrefs } from '../../sync/settings';
import { useUi } from '../../state/connection';
import { createAccount, signIn } from '../../../test/support/http';
import { Harness } from '../../../test/support/test-server';
import { notificationHooks } from './desktop-notifications';
import { SUMMARY_TAG } from './notifier';

const h = new Harness();
const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});
afterAll(() => h.close());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ready: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(20);
  }
}

interface Shown {
  title: string;
  body: string;
  tag: string;
  closed: boolean;
  click: () => void;
}

/**
 * Bob's laptop (a real client with the notification hooks, its window in the background) and
 * his phone (a bare socket that reads and changes settings), with Alice, Carol and Dave each
 * in a one-to-one chat with him that the laptop already holds.
 */
async function world() {
  const server = await h.start();
  const person = async (username: string, displayName: string) => {
    const session = await createAccount(server.url, username, { displayName });
    return { id: session.user.id, socket: await h.connect(server, session.token) };
  };
  const bobPhone = await person('bob', 'Bob');
  const [alice, carol, dave] = [await person('alice', 'Alice'), await person('carol', 'Carol'), await person('dave', 'Dave')];
  const chat = async (p: typeof alice) => (await p.socket.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  const convs = { alice: await chat(alice), carol: await chat(carol), dave: await chat(dave) };

  const shown: Shown[] = [];
  let focused = 0;
  let lives = 0;
  let laptop: TidingsClient | null = null;
  const notifications = notificationHooks(
    () => laptop,
    {
      create: (title, o) => {
        const n: Shown = { title, body: o.body, tag: o.tag, closed: false, click: o.onClick };
        shown.push(n);
        return { close: () => (n.closed = true) };
      },
      dispose: () => {},
    },
    { attention: () => false, allowed: () => true, focus: () => focused++ },
  );
  const session = await signIn(server.url, 'bob', { deviceName: 'laptop' });
  laptop = new TidingsClient(
    { ...session, serverUrl: server.url },
    {
      dbName: `notifications-${randomUUID()}`,
      socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 },
      ...notifications.hooks,
      onLive: () => {
        notifications.hooks.onLive?.();
        lives++;
      },
    },
  );
  const device = laptop;
  closing.push(() => {
    notifications.dispose();
    device.close();
  });
  await until('the laptop to hold the three chats', async () => device.engine.currentStatus === 'live' && (await device.db.conversations.count()) === 3);

  return {
    alice,
    carol,
    dave,
    bobPhone: bobPhone.socket,
    convs,
    laptop: device,
    shown,
    focused: () => focused,
    /** Takes the laptop offline; the returned function brings it back and waits for what it then decides. */
    offline: () => {
      device.disconnect();
      const before = lives;
      return async () => {
        device.connect();
        await until('the laptop to catch up', () => lives > before);
        await notifications.idle();
      };
    },
    hooks: notifications.hooks,
    idle: notifications.idle,
  };
}

describe('notifications after a catch-up', () => {
  it('[NOTIFY-4] a catch-up never notifies for messages read on another device meanwhile', async () => {
    const w = await world();
    const back = w.offline();
    let last = 0;
    for (const text of ['are you there?', 'hello?', 'call me']) last = (await w.alice.socket.send(w.convs.alice, text)).seq;
    await w.bobPhone.request({ type: 'read', conversationId: w.convs.alice, seq: last });
    const carol = await w.carol.socket.send(w.convs.carol, 'lunch tomorrow?');
    await back();
    // Carol's one unread message is shown as itself; Alice's, read on the phone, are no news.
    expect(w.shown.map(({ title, body, tag }) => ({ title, body, tag }))).toEqual([{ title: 'Carol', body: 'lunch tomorrow?', tag: `${w.convs.carol}:${carol.seq}` }]);
  });

  it('[NOTIFY-2] [NOTIFY-5] two or more unread make exactly one summary, muted chats left out; it goes once all are read elsewhere', async () => {
    const w = await world();
    await w.bobPhone.request({ type: 'conversationSettings', conversationId: w.convs.dave, notify: 'muted' });
    await until('the mute on the laptop', async () => (await w.laptop.db.conversations.get(w.convs.dave))?.notify === 'muted');
    const back = w.offline();
    const a = await w.alice.socket.send(w.convs.alice, 'the train is late');
    await w.dave.socket.send(w.convs.dave, 'muted one');
    await w.dave.socket.send(w.convs.dave, 'muted two');
    const c = await w.carol.socket.send(w.convs.carol, 'see you at six');
    await back();
    expect(w.shown.map(({ title, body, tag }) => ({ title, body, tag }))).toEqual([{ title: '2 new messages', body: 'In Alice, Carol', tag: SUMMARY_TAG }]);

    await w.bobPhone.request({ type: 'read', conversationId: w.convs.alice, seq: a.seq });
    await until('the read on the laptop', async () => (await w.laptop.db.conversations.get(w.convs.alice))?.lastReadSeq === a.seq);
    expect(w.shown[0]?.closed).toBe(false);
    await w.bobPhone.request({ type: 'read', conversationId: w.convs.carol, seq: c.seq });
    await until('the summary withdrawn', () => w.shown[0]?.closed === true);
  });

  it('[NOTIFY-6] do not disturb silences the catch-up summary too', async () => {
    const w = await world();
    await w.bobPhone.request({ type: 'prefs', prefs: { dnd: { on: true, from: null, to: null } } });
    await until('do not disturb on the laptop', async () => (await storedPrefs(w.laptop.db)).dnd.on);
    const back = w.offline();
    await w.alice.socket.send(w.convs.alice, 'quiet please');
    await w.alice.socket.send(w.convs.alice, 'still quiet');
    await w.carol.socket.send(w.convs.carol, 'shh');
    await back();
    expect(w.shown).toEqual([]);

    // The same laptop does notify once do not disturb is off: the silence above was the rule.
    await w.bobPhone.request({ type: 'prefs', prefs: { dnd: { on: false, from: null, to: null } } });
    await until('do not disturb off on the laptop', async () => !(await storedPrefs(w.laptop.db)).dnd.on);
    await w.carol.socket.send(w.convs.carol, 'awake now?');
    await until('a notification', () => w.shown.length > 0);
    expect(w.shown.map((n) => n.body)).toEqual(['awake now?']);
  });

  it('[NOTIFY-7] a message recalled while the device was away never shows; clicking a notification opens its chat', async () => {
    const w = await world();
    useUi.getState().openConversation(null);
    const back = w.offline();
    const secret = await w.alice.socket.send(w.convs.alice, 'the safe code is 4512');
    await w.alice.socket.request({ type: 'recall', conversationId: w.convs.alice, seq: secret.seq });
    await w.carol.socket.send(w.convs.carol, 'new plan');
    await back();
    expect(w.shown.map((n) => n.body)).toEqual(['new plan']);
    // A long catch-up can hand over a message in one page and its recall in a later one: the
    // event still carries the text, the store no longer does, and the store decides.
    const pushed = w.bobPhone.pushes.flatMap((p) => (p.event.type === 'message' && p.event.message.seq === secret.seq && p.event.message.conversationId === w.convs.alice ? [p.event.message] : []));
    expect(pushed.map((m) => m.text)).toEqual(['the safe code is 4512']);
    w.hooks.onIncoming?.(pushed, false);
    w.hooks.onLive?.();
    await w.idle();
    expect(w.shown.map((n) => n.body)).toEqual(['new plan']);

    w.shown[0]?.click();
    expect(useUi.getState().openConversationId).toBe(w.convs.carol);
    expect(w.focused()).toBe(1);
    expect(w.shown[0]?.closed).toBe(true);
  });
});
