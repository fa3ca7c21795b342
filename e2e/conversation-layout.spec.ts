/**
 * How the conversation view lays messages out, on a desktop window (1280×800) and a phone
 * (390×844): nothing covers a message, a message's time and state stay on one line, and a
 * message of only a few emoji shows them large.
 */
import type { Locator, Page } from '@playwright/test';
import { ApiDevice, createAccount, createSession } from './support/api';
import { expect, test } from './support/fixtures';
import { message, messageLog, openConversation, send, signIn, snap } from './support/ui';

const screens = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, hasTouch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, hasTouch: true },
] as const;

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The visible parts of the bubbles in the log (rows rendered beyond its edges are clipped). */
function bubbles(page: Page): Promise<Box[]> {
  return messageLog(page)
    .locator('[data-virtuoso-scroller]')
    .evaluate((scroller) => {
      const clip = scroller.getBoundingClientRect();
      return [...scroller.querySelectorAll('article .bubble')].flatMap((el) => {
        const r = el.getBoundingClientRect();
        const top = Math.max(r.top, clip.top);
        const bottom = Math.min(r.bottom, clip.bottom);
        return bottom > top ? [{ x: r.x, y: top, width: r.width, height: bottom - top }] : [];
      });
    });
}

async function boxOf(locator: Locator): Promise<Box> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('no box');
  return box;
}

for (const screen of screens) {
  test(`[LOG-8] ${screen.name}: the jump to the newest messages covers no message, wherever the log is scrolled`, async ({ server, device }, testInfo) => {
    await createAccount(server.url, 'alice', 'Alice');
    await createAccount(server.url, 'bob', 'Bob');
    // Bob wrote from another device of his: his own messages, on the right, with their state.
    const other = await ApiDevice.connect(server.url, (await createSession(server.url, 'bob')).token);
    try {
      const id = await other.openDirect('alice');
      for (let n = 1; n <= 40; n++) await other.send(id, `my line ${n}, long enough to reach the right-hand edge of the bubble`);
    } finally {
      other.close();
    }
    const page = await device('bob', { viewport: screen.viewport, hasTouch: screen.hasTouch });
    await signIn(page, server.url, 'bob');
    await openConversation(page, 'Alice');
    await expect(message(page, 'my line 40,')).toBeInViewport();

    const log = messageLog(page);
    const jump = page.getByRole('button', { name: /^Jump to latest messages/ });
    await expect(jump).toHaveCount(0);
    const box = await boxOf(log);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let step = 0; step < 4; step++) {
      await page.mouse.wheel(0, -250);
      await expect(jump).toBeVisible();
      const button = await boxOf(jump);
      // Outside the log altogether, so no message can pass under it, and over none of them.
      const logBox = await boxOf(log);
      expect(button.y).toBeGreaterThanOrEqual(logBox.y + logBox.height - 0.5);
      expect((await bubbles(page)).filter((b) => overlaps(b, button))).toEqual([]);
      if (step === 0) await snap(page, testInfo, `01-${screen.name}-scrolled-up`);
    }
    await jump.click();
    await expect(message(page, 'my line 40,')).toBeInViewport();
    await expect(jump).toHaveCount(0);
  });
}

test('[PHONE-4] on a phone a group message keeps its time and Read by N on one line, as on a desktop', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const bob = await createAccount(server.url, 'bob', 'Bob');
  await createAccount(server.url, 'carol', 'Carol');
  const a = await ApiDevice.connect(server.url, alice.token);
  const b = await ApiDevice.connect(server.url, bob.token);
  try {
    const { conversation } = await a.request<{ conversation: { id: string } }>({ type: 'createGroup', name: 'Weekend trip', usernames: ['bob', 'carol'] });
    const carol = await device('carol-phone', { viewport: { width: 390, height: 844 }, hasTouch: true });
    await signIn(carol, server.url, 'carol');
    await openConversation(carol, 'Weekend trip');
    await send(carol, 'I will bring the tent');
    const seq = await a.send(conversation.id, 'great');
    for (const d of [a, b]) await d.request({ type: 'read', conversationId: conversation.id, seq });
    const row = message(carol, 'I will bring the tent');
    const readBy = row.getByRole('button', { name: 'Read by 2' });
    await expect(readBy).toBeVisible();

    const line = await row.locator('.bubble footer').evaluate((footer) => {
      const time = footer.querySelector('time')?.getBoundingClientRect();
      const link = footer.querySelector('.read-by button')?.getBoundingClientRect();
      const text = footer.querySelector('.read-by button')?.firstChild;
      const range = document.createRange();
      if (text) range.selectNodeContents(text);
      const words = range.getBoundingClientRect();
      return { footer: footer.getBoundingClientRect().height, time: time && (time.top + time.bottom) / 2, words: (words.top + words.bottom) / 2, target: link?.height ?? 0 };
    });
    // One line: the words of both sit on the same middle, and the line is no taller than text.
    expect(Math.abs((line.time ?? 0) - line.words)).toBeLessThan(3);
    expect(line.footer).toBeLessThan(24);
    // Still a finger's target (PHONE-1).
    expect(line.target).toBeGreaterThanOrEqual(44);
    await snap(carol, testInfo, '02-phone-group-footer');
  } finally {
    a.close();
    b.close();
  }
});

for (const screen of screens) {
  test(`[LOG-9] ${screen.name}: a message of one to three emoji shows them large; emoji in a sentence stay the text's size`, async ({ server, device }, testInfo) => {
    const alice = await createAccount(server.url, 'alice', 'Alice');
    await createAccount(server.url, 'bob', 'Bob');
    const a = await ApiDevice.connect(server.url, alice.token);
    try {
      const id = await a.openDirect('bob');
      for (const text of ['see you there 🎉', '👍', '🎉🎈🥳', '😀😀😀😀']) await a.send(id, text);
    } finally {
      a.close();
    }
    const bob = await device('bob', { viewport: screen.viewport, hasTouch: screen.hasTouch });
    await signIn(bob, server.url, 'bob');
    await openConversation(bob, 'Alice');
    const size = (text: string) =>
      message(bob, text)
        .locator('.text')
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await expect(message(bob, '😀😀😀😀')).toBeVisible();
    const normal = await size('see you there');
    expect(await size('😀😀😀😀')).toBe(normal);
    expect(await size('🎉🎈🥳')).toBeGreaterThanOrEqual(normal * 2);
    expect(await size('👍')).toBeGreaterThan(await size('🎉🎈🥳'));
    await snap(bob, testInfo, `03-${screen.name}-emoji`);
  });
}
