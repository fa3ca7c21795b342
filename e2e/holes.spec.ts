/**
 * A hole in the middle of a conversation, made the way it happens: a device has read the start
 * of a big group's conversation (one on the room path, which has no inbox events) and is closed
 * with it open while a thousand messages are written. Opened again, it catches up by the head:
 * it stores the newest pages (a bounded number) and keeps what it held, with a hole between.
 * The hole is never shown as if nothing were there: where the log shows it, a row says it is
 * loading, and it fills itself as it comes into view; the view stays where the person reads.
 */
import type { Locator, Page } from '@playwright/test';
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { TestServer } from './support/server';
import { connection, expectConnected, messageLog, openConversation, signIn, snap } from './support/ui';

/** Messages the device reads before it is closed, and how many are written while it is away. */
const READ_FIRST = 40;
const WHILE_AWAY = 1_200;
const LAST = READ_FIRST + WHILE_AWAY;
const label = (n: number) => `msg ${String(n).padStart(4, '0')}`;
const HOLE_TEXT = 'Loading messages…';

/** The seq ranges this device holds of a conversation, read from its own store. */
async function heldRanges(page: Page, conversationId: string): Promise<number[][]> {
  return page.evaluate(async (id) => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tidings:'));
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      try {
        if (!db.objectStoreNames.contains('conversations')) continue;
        const row = await new Promise<{ ranges: number[][] } | undefined>((res, rej) => {
          const req = db.transaction('conversations', 'readonly').objectStore('conversations').get(id);
          req.onsuccess = () => res(req.result as { ranges: number[][] } | undefined);
          req.onerror = () => rej(req.error);
        });
        if (row) return row.ranges;
      } finally {
        db.close();
      }
    }
    return [];
  }, conversationId);
}

/**
 * Reads the log as the person scrolls it: every stretch rendered must be messages in order,
 * each the one after the last, except across a hole row, which may stand for any number of
 * messages (never none).
 */
class LogReader {
  readonly seen = new Set<number>();
  readonly disorder: string[] = [];
  constructor(private readonly log: Locator) {}

  async read(): Promise<number[]> {
    const rows = await this.log.locator('article, [role="status"]').allInnerTexts();
    const shown = rows.flatMap((t): (number | 'hole')[] => {
      if (t.includes(HOLE_TEXT)) return ['hole'];
      const own = [...t.matchAll(/msg (\d{4})/g)].at(-1)?.[1];
      return own === undefined ? [] : [Number(own)];
    });
    let prev: number | 'hole' | null = null;
    let before: number | null = null;
    for (const n of shown) {
      if (n !== 'hole') {
        const ok = before === null || (prev === 'hole' ? n > before + 1 : n === before + 1);
        if (!ok) this.disorder.push(shown.join(','));
        before = n;
        this.seen.add(n);
      } else if (prev === 'hole') this.disorder.push(shown.join(','));
      prev = n;
    }
    return shown.filter((n): n is number => n !== 'hole');
  }
}

test('[LOG-1][LOG-7][RANGE-2] a device back after 1,200 messages in a big group holds the start and the newest pages; the hole between says it is loading, fills itself as it comes into view, and every message is then there once, in order', async ({ device }, testInfo) => {
  test.setTimeout(180_000);
  // Three members at a threshold of three: the group is on the room path (GROUP-5). The limits
  // are raised only so that the script below can write 1,240 messages quickly.
  const server = new TestServer({
    env: { TIDINGS_INBOX_FANOUT_MAX: '3', TIDINGS_RATE_POINTS: '100000', TIDINGS_USER_RATE_POINTS: '100000' },
  });
  await server.start();
  const owen = await createAccount(server.url, 'owen', 'Owen');
  const cal = await createAccount(server.url, 'cal', 'Cal');
  await createAccount(server.url, 'bea', 'Bea');
  const o = await ApiDevice.connect(server.url, owen.token);
  const c = await ApiDevice.connect(server.url, cal.token);
  try {
    const { conversation } = await o.request<{ conversation: { id: string; lastSeq: number } }>({
      type: 'createGroup',
      name: 'Long story',
      usernames: ['cal', 'bea'],
    });
    const groupId = conversation.id;
    // Seqs after the group's system lines: the n-th message has seq `base + n`.
    const base = conversation.lastSeq;
    const write = async (from: number, to: number) => {
      for (let n = from; n <= to; n++) {
        const seq = await (n % 2 === 1 ? o : c).send(groupId, label(n));
        expect(seq).toBe(base + n);
      }
    };
    await write(1, READ_FIRST);

    // Bea reads the start on her laptop and closes it with the conversation open; the browser
    // profile keeps its store.
    const bea = await device('bea-laptop');
    await signIn(bea, server.url, 'bea');
    await openConversation(bea, 'Long story');
    // It opens at the first of the 40 unread (READ-8); she reads down to the newest.
    await bea.getByRole('button', { name: /^Jump to latest messages/ }).click();
    await expect(messageLog(bea).getByRole('article').filter({ hasText: label(READ_FIRST) })).toBeInViewport();
    await expect(bea).toHaveTitle('Tidings');
    await expect.poll(() => heldRanges(bea, groupId)).toEqual([[1, base + READ_FIRST]]);
    const laptop = bea.context();
    await bea.close();

    await write(READ_FIRST + 1, LAST);

    // Opened again, the conversation is where she left it, and then at the newest message.
    const page = await laptop.newPage();
    await page.goto(server.url);
    await expectConnected(page, 30_000);
    const log = messageLog(page);
    const newest = log.getByRole('article').filter({ hasText: label(LAST) });
    await expect(newest).toBeInViewport({ timeout: 30_000 });

    // It holds what it read and, from the head down, the newest pages: a hole between.
    await expect
      .poll(async () => {
        const ranges = await heldRanges(page, groupId);
        return ranges.length === 2 && ranges[0]?.[1] === base + READ_FIRST && ranges[1]?.[1] === base + LAST;
      }, { timeout: 30_000 })
      .toBe(true);
    // The catch-up loads a bounded number of pages; once it has, the view has not moved from the newest.
    let last = '';
    await expect
      .poll(async () => {
        const now = JSON.stringify(await heldRanges(page, groupId));
        const settled = now === last;
        last = now;
        return settled;
      }, { intervals: [1_000], timeout: 60_000 })
      .toBe(true);
    const held = await heldRanges(page, groupId);
    testInfo.annotations.push({ type: 'held after reopening', description: JSON.stringify(held) });
    expect(held).toHaveLength(2);
    await expect(newest).toBeInViewport();

    // Offline (the Wi-Fi drops again), she scrolls up: where the log reaches the hole, a row says
    // it is loading, and it stays there while nothing can load.
    await laptop.setOffline(true);
    await expect(connection(page)).toContainText('Offline', { timeout: 60_000 });
    const reader = new LogReader(log);
    const holeRow = log.getByRole('status').filter({ hasText: HOLE_TEXT });
    const box = await log.boundingBox();
    if (!box) throw new Error('the log has no box');
    /** Whether the row is inside the log's visible box (rendered rows reach beyond it). */
    const inView = (row: Locator) =>
      row.evaluateAll(
        (els, area) =>
          els.some((el) => {
            const r = el.getBoundingClientRect();
            return r.height > 0 && r.bottom > area.y && r.top < area.y + area.height;
          }),
        box,
      );
    const beginning = log.getByText('Beginning of conversation');
    /** Scrolls up by most of a screen and waits until the log shows something else (or its top). */
    const scrollUp = async () => {
      const before = await reader.read();
      await page.mouse.wheel(0, -900);
      await expect
        .poll(async () => (await reader.read()).join() !== before.join() || (await inView(beginning)), { timeout: 15_000 })
        .toBe(true);
    };
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 200 && !(await inView(holeRow)); i++) await scrollUp();
    await expect(holeRow).toBeInViewport();
    await expect(log.getByRole('article').filter({ hasText: label(READ_FIRST) })).toBeAttached();
    await snap(page, testInfo, '01-hole-offline');
    expect(await heldRanges(page, groupId)).toEqual(held);

    // Back online she scrolls on to the beginning: the hole fills as it comes into view, page
    // after page, and she never meets a gap or a message twice.
    await laptop.setOffline(false);
    await expectConnected(page, 30_000);
    for (let i = 0; i < 400 && !(reader.seen.has(1) && (await inView(beginning))); i++) {
      // A hole on screen loads its newest page; the page goes in below it, above what she was
      // reading, which stays put: the hole moves up out of sight, to be met again further up.
      if (await inView(holeRow)) await expect.poll(() => inView(holeRow), { timeout: 15_000 }).toBe(false);
      else await scrollUp();
    }
    await expect.poll(() => heldRanges(page, groupId), { timeout: 30_000 }).toEqual([[1, base + LAST]]);
    await expect(holeRow).toHaveCount(0);
    expect(reader.disorder).toEqual([]);
    await snap(page, testInfo, '02-beginning');

    // From the beginning down to the newest, the whole conversation: each message once, in order.
    // (A page that went in below her while she scrolled past the hole is read here too.)
    const whole = new LogReader(log);
    for (let i = 0; i < 400 && !(await inView(newest)); i++) {
      const before = await whole.read();
      await page.mouse.wheel(0, 900);
      await expect.poll(async () => (await whole.read()).join() !== before.join() || (await inView(newest)), { timeout: 15_000 }).toBe(true);
    }
    await whole.read();
    expect(whole.disorder).toEqual([]);
    expect(Array.from({ length: LAST }, (_, i) => i + 1).filter((n) => !whole.seen.has(n))).toEqual([]);
    expect(whole.seen.size).toBe(LAST);
  } finally {
    o.close();
    c.close();
    await server.dispose();
  }
});
