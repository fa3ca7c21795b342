/**
 * `npm run demo` in browser mode, as a person follows it: the three printed addresses opened in
 * ONE browser are three devices (Alice's laptop and phone, and Bob), and show roaming, read sync
 * and recall across devices. The screenshot this test saves (demo-overview.png) is the README's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { freePort } from './support/server';
import { conversationItem, expectConnected, expectLog, message, openConversation, send } from './support/ui';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'tidings demo';

async function signInAs(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectConnected(page);
}

test('the demo’s three addresses are three devices in one browser: roaming, read sync and recall', async ({ browser }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-demo-e2e-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/demo.ts', '--browser'], {
    cwd: REPO,
    env: { ...process.env, PORT: String(port), TIDINGS_DATA: join(dir, 'demo.db'), TIDINGS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // One browser profile for all three, as a person would open them.
  const context = await browser.newContext({ viewport: { width: 760, height: 640 } });
  try {
    await expect.poll(() => out, { timeout: 30_000 }).toContain('bob');
    const urls = Object.fromEntries([...out.matchAll(/^\s+(alice-laptop|alice-phone|bob)\s+(http\S+)$/gm)].map((m) => [m[1], m[2]]));
    expect(Object.keys(urls).sort()).toEqual(['alice-laptop', 'alice-phone', 'bob']);
    const [laptop, phone, bob] = [await context.newPage(), await context.newPage(), await context.newPage()];
    await signInAs(laptop, urls['alice-laptop'] as string, 'alice');
    await signInAs(phone, urls['alice-phone'] as string, 'alice');
    await signInAs(bob, urls.bob as string, 'bob');

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
    await openConversation(phone, 'Bob');
    for (const page of [laptop, phone]) await expect(message(page, 'You recalled a message')).toBeVisible();
    await expect(message(bob, 'Alice recalled a message')).toBeVisible();
    await expect(message(bob, 'Now recall something, Alice')).toContainText('Read');

    // The README's picture: the three devices side by side.
    const shots = await Promise.all([laptop, phone, bob].map(async (p) => (await p.screenshot()).toString('base64')));
    const overview = await context.newPage();
    await overview.setViewportSize({ width: 3 * 760 + 40, height: 700 });
    const labels = ['Alice — laptop', 'Alice — phone', 'Bob'];
    await overview.setContent(
      `<body style="margin:0;padding:10px;background:#dde3ec;font:15px system-ui;display:flex;gap:10px">${shots
        .map((s, i) => `<figure style="margin:0"><img style="display:block;border-radius:8px;box-shadow:0 2px 10px #0003" src="data:image/png;base64,${s}"><figcaption style="text-align:center;padding:6px">${labels[i]}</figcaption></figure>`)
        .join('')}</body>`,
    );
    const file = join(REPO, 'test-results', 'screens', 'demo-overview.png');
    await overview.screenshot({ path: file });
    await testInfo.attach('demo-overview', { path: file, contentType: 'image/png' });
  } finally {
    await context.close();
    child.kill('SIGTERM');
    writeFileSync(join(dir, 'out.txt'), out);
    rmSync(dir, { recursive: true, force: true });
  }
});
