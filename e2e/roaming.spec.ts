/**
 * Roaming: a conversation with 300 messages is opened on a brand-new device. It shows the
 * latest messages, and scrolling up loads older pages from the server down to the beginning.
 */
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { messageLog, openConversation, signIn, snap } from './support/ui';

const TOTAL = 300;
const label = (n: number) => `roam message ${String(n).padStart(3, '0')}`;

test('a new device scrolls back through 300 messages to the beginning', async ({ server, device }, testInfo) => {
  // 300 messages, alternating between two people, created through the API.
  const gina = await createAccount(server.url, 'gina', 'Gina');
  const hank = await createAccount(server.url, 'hank', 'Hank');
  const g = await ApiDevice.connect(server.url, gina.token);
  const h = await ApiDevice.connect(server.url, hank.token);
  try {
    const conversationId = await g.openDirect('hank');
    for (let n = 1; n <= TOTAL; n++) {
      const seq = await (n % 2 === 1 ? g : h).send(conversationId, label(n));
      expect(seq).toBe(n);
    }
    // Gina has read it all (elsewhere): her new device opens at the newest, not at an unread line.
    await g.request({ type: 'read', conversationId, seq: TOTAL });
  } finally {
    g.close();
    h.close();
  }

  const page = await device('gina-new-device');
  await signIn(page, server.url, 'gina');

  // Remember whether a `Loading` status ever showed inside the log (it may be brief).
  await page.evaluate(() => {
    const w = window as unknown as { sawLoading: boolean };
    w.sawLoading = false;
    const check = () => {
      for (const el of document.querySelectorAll('[role="log"] [role="status"]')) {
        if (el.textContent?.includes('Loading')) w.sawLoading = true;
      }
    };
    new MutationObserver(check).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  await openConversation(page, 'Hank');
  const log = messageLog(page);
  await expect(log.getByRole('article').filter({ hasText: label(TOTAL) })).toBeVisible();
  await snap(page, testInfo, '01-latest');

  const seen = new Set<number>();
  const disorder: string[] = [];
  const collect = async () => {
    // What is rendered must always be a run of consecutive messages, oldest at the top.
    const shown = (await log.getByRole('article').allInnerTexts()).map((t) => Number(/roam message (\d{3})/.exec(t)?.[1] ?? NaN));
    if (shown.some((n, i) => i > 0 && n !== (shown[i - 1] as number) + 1)) disorder.push(shown.join(','));
    for (const n of shown) seen.add(n);
    return Math.min(...seen);
  };
  // The newest message is shown at the bottom.
  expect(await collect()).toBeLessThan(TOTAL);
  expect(seen.has(TOTAL)).toBe(true);

  const beginning = log.getByText('Beginning of conversation');
  const box = await log.boundingBox();
  if (!box) throw new Error('the log has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 300 && !(seen.has(1) && (await beginning.isVisible())); i++) {
    const lowest = await collect();
    await page.mouse.wheel(0, -400);
    // Wait until scrolling revealed (or loaded) something older, or the top was reached.
    await expect
      .poll(async () => (await collect()) < lowest || (lowest === 1 && (await beginning.isVisible())), { timeout: 15_000 })
      .toBe(true);
  }

  // The header is rendered once the first page is held; scroll on until it is on screen.
  await expect(async () => {
    await page.mouse.wheel(0, -400);
    await expect(beginning).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(log.getByRole('article').filter({ hasText: label(1) })).toBeInViewport();
  await snap(page, testInfo, '02-beginning');
  const missing = Array.from({ length: TOTAL }, (_, i) => i + 1).filter((n) => !seen.has(n));
  expect(missing).toEqual([]);
  expect(seen.size).toBe(TOTAL);
  expect(disorder).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { sawLoading: boolean }).sawLoading)).toBe(true);
});
