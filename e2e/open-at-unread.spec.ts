/**
 * Opening a conversation with many unread messages, as Telegram and Signal do: the log opens
 * at the first unread message (the `Unread messages` line near the top, what came before just
 * above it), and the read position follows only what has been on screen, so the unread count
 * drops as the person scrolls down, on every device of theirs.
 */
import type { Page } from '@playwright/test';
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { conversationItem, messageLog, openChat, openConversation, signIn, signUp, snap } from './support/ui';

const COUNT = 150;
const label = (n: number) => `note ${String(n).padStart(3, '0')} of the long evening`;

/** The unread count in the conversation list, as it is read out (`12 unread`); 0 when it shows none. */
async function listUnread(page: Page, title: string): Promise<number> {
  const said = await conversationItem(page, title).getByText(/^\d+ unread$/).allTextContents();
  return Number(/\d+/.exec(said[0] ?? '')?.[0] ?? 0);
}

/** The total in the window title (`(12) Tidings`), 0 when there is none. */
async function titleUnread(page: Page): Promise<number> {
  return Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0);
}

/** The newest message whose end is inside the log's scroller: the most the person can have read. */
function newestOnScreen(page: Page): Promise<number> {
  return messageLog(page)
    .locator('[data-virtuoso-scroller]')
    .evaluate((scroller) => {
      const box = scroller.getBoundingClientRect();
      let newest = 0;
      for (const a of scroller.querySelectorAll<HTMLElement>('article[data-seq]')) {
        const r = a.getBoundingClientRect();
        if (r.bottom > box.top + 2 && r.bottom <= box.bottom + 2) newest = Math.max(newest, Number(a.dataset.seq));
      }
      return newest;
    });
}

test('[READ-8] 150 unread: the conversation opens at the first unread, the count drops only as far as has been on screen, and reaches 0 at the bottom, on both devices', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const laptop = await device('bob-laptop', { viewport: { width: 1280, height: 800 } });
  const phone = await device('bob-phone', { viewport: { width: 390, height: 844 }, hasTouch: true });
  await signUp(laptop, server.url, 'bob', 'Bob');
  await signIn(phone, server.url, 'bob');

  const a = await ApiDevice.connect(server.url, alice.token);
  let base = 0;
  try {
    const id = await a.openDirect('bob');
    for (let n = 1; n <= COUNT; n++) {
      const seq = await a.send(id, label(n));
      if (n === 1) base = seq - 1;
    }
  } finally {
    a.close();
  }
  for (const page of [laptop, phone]) {
    await expect(conversationItem(page, 'Alice')).toContainText(`${COUNT} unread`, { timeout: 30_000 });
    await expect(page).toHaveTitle(`(${COUNT}) Tidings`);
  }

  // The laptop opens at the line, with the first unread message under it, not at the newest.
  await openConversation(laptop, 'Alice');
  const log = messageLog(laptop);
  const line = log.getByRole('separator').filter({ hasText: 'Unread messages' });
  await expect(line).toBeInViewport();
  await expect(log.locator('[role="separator"] + article')).toContainText(label(1));
  await expect(log.getByRole('article').filter({ hasText: label(1) })).toBeInViewport();
  await expect(log.getByRole('article').filter({ hasText: label(COUNT) })).not.toBeInViewport();
  // What is read is what has been on screen: the count is what lies below it, and stays above 0.
  await expect
    .poll(async () => {
      const seen = (await newestOnScreen(laptop)) - base;
      return seen > 0 && (await listUnread(laptop, 'Alice')) === COUNT - seen && (await titleUnread(laptop)) === COUNT - seen;
    })
    .toBe(true);
  const afterLaptop = await listUnread(laptop, 'Alice');
  expect(afterLaptop).toBeGreaterThan(0);
  expect(afterLaptop).toBeLessThan(COUNT);
  // The other device agrees.
  await expect.poll(() => listUnread(phone, 'Alice')).toBe(afterLaptop);
  await expect(phone).toHaveTitle(`(${afterLaptop}) Tidings`);
  await snap(laptop, testInfo, '01-laptop-opens-at-unread');

  // The phone opens where the laptop stopped reading.
  const firstOnPhone = COUNT - afterLaptop + 1;
  await openConversation(phone, 'Alice');
  const phoneLog = messageLog(phone);
  await expect(phoneLog.getByRole('separator').filter({ hasText: 'Unread messages' })).toBeInViewport();
  await expect(phoneLog.locator('[role="separator"] + article')).toContainText(label(firstOnPhone));
  await expect
    .poll(async () => {
      const seen = (await newestOnScreen(phone)) - base;
      return seen >= firstOnPhone && (await titleUnread(phone)) === COUNT - seen;
    })
    .toBe(true);
  const afterPhone = await titleUnread(phone);
  expect(afterPhone).toBeGreaterThan(0);
  expect(afterPhone).toBeLessThan(afterLaptop);
  await expect.poll(() => listUnread(laptop, 'Alice')).toBe(afterPhone);
  await snap(phone, testInfo, '02-phone-opens-where-the-laptop-stopped');

  // Scrolling down on the laptop reads the rest: the count drops as it goes, and is 0 at the end.
  const box = await log.boundingBox();
  if (!box) throw new Error('the log has no box');
  await laptop.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const last = log.getByRole('article').filter({ hasText: label(COUNT) });
  const counts: number[] = [];
  for (let i = 0; i < 100; i++) {
    const seen = await newestOnScreen(laptop);
    if (seen - base === COUNT) break;
    await laptop.mouse.wheel(0, 300);
    await expect.poll(() => newestOnScreen(laptop)).toBeGreaterThan(seen);
    // Once the log is still, the count is what lies below the screen (or below what the phone
    // read, while that is further).
    await expect
      .poll(async () => {
        const now = Math.max((await newestOnScreen(laptop)) - base, COUNT - afterPhone);
        return (await listUnread(laptop, 'Alice')) === COUNT - now;
      })
      .toBe(true);
    counts.push(await listUnread(laptop, 'Alice'));
  }
  await expect(last).toBeInViewport();
  await expect.poll(() => listUnread(laptop, 'Alice')).toBe(0);
  await expect(laptop).toHaveTitle('Tidings');
  await expect(phone).toHaveTitle('Tidings');
  // It went down step by step, never up.
  expect(counts.length).toBeGreaterThan(3);
  expect(counts.every((c, i) => i === 0 || c <= (counts[i - 1] as number))).toBe(true);
  expect(new Set(counts).size).toBeGreaterThan(2);
  await snap(laptop, testInfo, '03-laptop-read-to-the-end');
});

test('[READ-8] with nothing unread the conversation opens at the newest; a few unread that fit on screen are all read on opening', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  await createAccount(server.url, 'carol', 'Carol');
  const bob = await device('bob', { viewport: { width: 1280, height: 800 } });
  await signUp(bob, server.url, 'bob', 'Bob');
  const log = messageLog(bob);
  const a = await ApiDevice.connect(server.url, alice.token);
  try {
    const id = await a.openDirect('bob');
    for (let n = 1; n <= 40; n++) await a.send(id, label(n));
    await expect(conversationItem(bob, 'Alice')).toContainText('40 unread');
    await openConversation(bob, 'Alice');
    await expect(log.getByRole('separator').filter({ hasText: 'Unread messages' })).toBeInViewport();
    await expect(bob).not.toHaveTitle('Tidings');
    // The jump to the newest reads everything.
    await bob.getByRole('button', { name: /^Jump to latest messages/ }).click();
    await expect(bob).toHaveTitle('Tidings');

    // Opened again with nothing unread: at the newest message, with no line.
    await openChat(bob, 'carol', 'Carol');
    await openConversation(bob, 'Alice');
    await expect(log.getByRole('article').filter({ hasText: label(40) })).toBeInViewport();
    await expect(log.getByRole('article').filter({ hasText: label(1) })).not.toBeInViewport();
    await expect(log.getByRole('separator')).toHaveCount(0);

    // Three more come while another conversation is open: they fit on screen, so it opens at the
    // bottom with the line above them, and all of them are read.
    await openConversation(bob, 'Carol');
    for (let n = 41; n <= 43; n++) await a.send(id, label(n));
    await expect(conversationItem(bob, 'Alice')).toContainText('3 unread');
    await openConversation(bob, 'Alice');
    await expect(log.getByRole('separator').filter({ hasText: 'Unread messages' })).toBeInViewport();
    await expect(log.locator('[role="separator"] + article')).toContainText(label(41));
    await expect(log.getByRole('article').filter({ hasText: label(43) })).toBeInViewport();
    await expect(bob).toHaveTitle('Tidings');
    await snap(bob, testInfo, '04-few-unread');
  } finally {
    a.close();
  }
});
