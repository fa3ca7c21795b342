/**
 * `npm run demo` in browser mode, as a person follows it: the three printed addresses opened in
 * ONE browser are three devices (Alice's laptop and phone, and Bob) that sign themselves in, and
 * show roaming, read sync and recall across devices. The picture this test composes, the three
 * side by side with the phone at a phone's width, is the README's docs/demo.png
 * (`TIDINGS_UPDATE_DOCS=1 npx playwright test e2e/demo.spec.ts` writes it there).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { REPO, startDemoProcess } from './support/demo';
import { conversationItem, expectConnected, expectLog, message, openConversation, send } from './support/ui';

/** Each device's window: the phone below 700 px, so it shows the phone layout. */
const SIZES = { laptop: { width: 900, height: 640 }, phone: { width: 390, height: 640 }, bob: { width: 760, height: 640 } } as const;

test('[DEMO-1] [DEMO-2] the demo’s three addresses are three devices in one browser that sign themselves in: roaming, read sync and recall', async ({ browser }, testInfo) => {
  const demo = await startDemoProcess();
  // One browser profile for all three, as a person would open them.
  const context = await browser.newContext();
  try {
    const [laptop, phone, bob] = [await context.newPage(), await context.newPage(), await context.newPage()];
    await laptop.setViewportSize(SIZES.laptop);
    await phone.setViewportSize(SIZES.phone);
    await bob.setViewportSize(SIZES.bob);
    // Nobody types anything: each address names its demo account, and the demo's server has it.
    await laptop.goto(demo.urls['alice-laptop'] as string);
    await phone.goto(demo.urls['alice-phone'] as string);
    await bob.goto(demo.urls.bob as string);
    for (const page of [laptop, phone, bob]) await expectConnected(page, 30_000);
    for (const page of [laptop, phone]) await expect(page.getByText('@alice', { exact: true })).toBeVisible();
    await expect(bob.getByText('@bob', { exact: true })).toBeVisible();
    // The session's token is never in an address.
    for (const page of [laptop, phone, bob]) expect(page.url()).not.toMatch(/token/i);

    // Alice's two devices are two sessions, named after their profiles.
    await laptop.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = laptop.getByRole('dialog', { name: 'Settings' });
    const devices = settings.getByRole('list', { name: 'Devices' });
    await expect(devices.getByRole('listitem')).toHaveCount(2);
    await expect(devices.getByRole('listitem').filter({ hasText: 'This device' })).toContainText('alice-laptop');
    await expect(devices.getByRole('listitem').filter({ hasNotText: 'This device' })).toContainText('alice-phone');
    await settings.getByRole('button', { name: 'Close' }).click();

    // The seeded conversation roams to both of Alice's devices; Bob's newest is unread on both.
    const opening = ['Hi Alice!', 'Hello Bob', 'Open this chat on the phone too'];
    for (const page of [laptop, phone]) await expect(conversationItem(page, 'Bob')).toContainText('2 unread');
    await openConversation(laptop, 'Bob');
    await expectLog(laptop, opening);
    // Read on the laptop: the phone's count clears.
    await expect(conversationItem(phone, 'Bob')).not.toContainText('unread');

    await openConversation(bob, 'Alice');
    await send(bob, 'Now recall something, Alice');
    await send(laptop, 'A typo I will take back');
    await message(laptop, 'A typo I will take back').getByRole('button', { name: 'More actions' }).click();
    await laptop.getByRole('menuitem', { name: 'Recall' }).click();
    await laptop.getByRole('alertdialog', { name: 'Recall this message for everyone?' }).getByRole('button', { name: 'Recall' }).click();
    // The phone shows the conversation alone, with Back, as phones do.
    await openConversation(phone, 'Bob');
    await expect(phone.getByRole('list', { name: 'Conversations' })).toBeHidden();
    await expect(phone.getByRole('button', { name: 'Back' })).toBeVisible();
    for (const page of [laptop, phone]) await expect(message(page, 'You recalled a message')).toBeVisible();
    await expect(message(bob, 'Alice recalled a message')).toBeVisible();
    await expect(message(bob, 'Now recall something, Alice')).toContainText('Read');

    // The README's picture: the three devices side by side, each at its own size (without the
    // notification prompt, which is not what the picture is about).
    for (const page of [laptop, bob]) await page.getByRole('region', { name: 'Desktop notifications' }).getByRole('button', { name: 'Not now' }).click();
    const shots = await Promise.all([laptop, phone, bob].map(async (p) => (await p.screenshot()).toString('base64')));
    const overview = await context.newPage();
    const gap = 14;
    await overview.setViewportSize({ width: SIZES.laptop.width + SIZES.phone.width + SIZES.bob.width + 4 * gap, height: SIZES.laptop.height + 56 });
    const labels = ['Alice — laptop', 'Alice — phone', 'Bob'];
    await overview.setContent(
      `<body style="margin:0;padding:${gap}px;background:#dde3ec;font:15px system-ui,sans-serif;display:flex;gap:${gap}px;align-items:flex-start">${shots
        .map(
          (s, i) =>
            `<figure style="margin:0"><img style="display:block;border-radius:${i === 1 ? 18 : 8}px;box-shadow:0 2px 10px #0003" src="data:image/png;base64,${s}"><figcaption style="text-align:center;padding:6px">${labels[i]}</figcaption></figure>`,
        )
        .join('')}</body>`,
    );
    const dir = join(REPO, 'test-results', 'screens');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'demo-overview.png');
    await overview.screenshot({ path: file, fullPage: true });
    await testInfo.attach('demo-overview', { path: file, contentType: 'image/png' });
    if (process.env.TIDINGS_UPDATE_DOCS === '1') copyFileSync(file, join(REPO, 'docs', 'demo.png'));
  } catch (err) {
    await testInfo.attach('demo-output.txt', { body: demo.output(), contentType: 'text/plain' });
    throw err;
  } finally {
    await context.close();
    await demo.stop();
  }
});
