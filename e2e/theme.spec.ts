/**
 * Light and dark: with the Theme setting at `System` the app takes the system's colour scheme,
 * and follows it when it changes while the app is open; `Dark` or `Light` chosen on the device
 * wins over the system. In both schemes every text on the sign-in screen, the main screen with a
 * conversation, and a dialog stays readable: WCAG AA contrast against what is behind it.
 */
import type { Page, TestInfo } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { unreadable } from './support/contrast';
import { conversationItem, createGroup, message, messageInput, openChat, openConversation, send, signUp, snap } from './support/ui';

type Scheme = 'light' | 'dark';

/**
 * Which scheme the app shows, judged by the colours it computes: the page background, the
 * panels on it, and the text. `mixed` when they disagree (a panel left light in dark mode, say).
 */
async function shownScheme(page: Page): Promise<Scheme | 'mixed'> {
  const verdicts = await page.evaluate(() => {
    const luminance = (css: string): number | null => {
      const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(css);
      if (!m) return null;
      const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      const [r, g, b] = [m[1], m[2], m[3]].map((v) => lin(Number(v) / 255)) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const root = getComputedStyle(document.documentElement);
    const panels = [...document.querySelectorAll('.card, .sidebar, .conversation-head, .composer, .dialog[open]')];
    const backgrounds = [root.backgroundColor, ...panels.map((p) => getComputedStyle(p).backgroundColor)].map(luminance);
    const text = luminance(getComputedStyle(document.body).color);
    // Dark: dark surfaces under light text; light: the other way round.
    return [...backgrounds.map((l) => (l === null ? 'unknown' : l < 0.05 ? 'dark' : l > 0.7 ? 'light' : 'unknown')), text === null ? 'unknown' : text > 0.6 ? 'dark' : text < 0.05 ? 'light' : 'unknown'];
  });
  const first = verdicts[0];
  return verdicts.every((v) => v === first) && (first === 'light' || first === 'dark') ? first : 'mixed';
}

/** Takes the screenshot and checks every text on screen (or in the open dialog) for contrast. */
async function lookAt(page: Page, testInfo: TestInfo, step: string, within?: string): Promise<void> {
  await snap(page, testInfo, step);
  expect(await unreadable(page, within), `low contrast on ${step}`).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`[THEME-1][THEME-3] with Theme at System, a ${scheme} system shows the ${scheme} app on every screen, readable, and it follows a change while open`, async ({ server, device }, testInfo) => {
    const other: Scheme = scheme === 'dark' ? 'light' : 'dark';
    const bob = await device('bob');
    await signUp(bob, server.url, 'bob', 'Bob');

    const alice = await device('alice');
    await alice.emulateMedia({ colorScheme: scheme });
    await alice.goto(server.url);
    await expect(alice.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect.poll(() => shownScheme(alice)).toBe(scheme);
    await lookAt(alice, testInfo, `${scheme}-01-sign-in`);

    // A wrong password shows the error on the sign-in card: readable too.
    await alice.getByLabel('Server').fill(server.url);
    await alice.getByLabel('Username').fill('bob');
    await alice.getByLabel('Password').fill('not the password');
    await alice.getByRole('button', { name: 'Sign in' }).click();
    await expect(alice.getByRole('alert')).toBeVisible();
    await lookAt(alice, testInfo, `${scheme}-02-sign-in-error`);

    await signUp(alice, server.url, 'alice', 'Alice');
    await openChat(alice, 'bob', 'Bob');
    await send(alice, 'Hello Bob, the notes are at https://example.org/notes');
    await openConversation(bob, 'Alice');
    await send(bob, 'Thanks, reading them now');
    // A reply (its quote), a day line, delivery states and a link: the usual parts of a log.
    const theirs = message(alice, 'Thanks, reading them now');
    await theirs.hover();
    await theirs.getByRole('button', { name: 'More actions' }).click();
    await alice.getByRole('menuitem', { name: 'Reply' }).click();
    await messageInput(alice).fill('Tell me what you think');
    await messageInput(alice).press('Enter');
    await expect(message(alice, 'Tell me what you think')).toContainText(/Sent|Delivered|Read/);
    await send(bob, 'Will do');
    await expect(message(alice, 'Will do')).toBeVisible();
    // Another conversation with an unread count in the list, and a system line in it.
    await createGroup(bob, 'Weekend', 'alice');
    await send(bob, 'Hike on Saturday?');
    await expect(conversationItem(alice, 'Weekend')).toContainText('1 unread');
    await expect.poll(() => shownScheme(alice)).toBe(scheme);
    await lookAt(alice, testInfo, `${scheme}-03-main`);

    // A dialog over the main screen.
    await alice.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = alice.getByRole('dialog', { name: 'Settings' });
    await expect(settings).toBeVisible();
    await expect(settings.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'System' })).toBeChecked();
    await expect.poll(() => shownScheme(alice)).toBe(scheme);
    await lookAt(alice, testInfo, `${scheme}-04-dialog`, 'dialog[open]');
    await settings.getByRole('button', { name: 'Close' }).click();
    await expect(settings).toBeHidden();

    // The system switches while the app is open: the app follows without a reload.
    await alice.emulateMedia({ colorScheme: other });
    await expect.poll(() => shownScheme(alice)).toBe(other);
    await lookAt(alice, testInfo, `${scheme}-05-switched-to-${other}`);
  });
}

test('[THEME-2][THEME-3] Dark chosen on the device wins over a light system, and Light over a dark one; System follows it again', async ({ server, device }, testInfo) => {
  const page = await device('dora');
  await page.emulateMedia({ colorScheme: 'light' });
  await signUp(page, server.url, 'dora', 'Dora');
  await expect.poll(() => shownScheme(page)).toBe('light');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const theme = settings.getByRole('radiogroup', { name: 'Theme' });
  await theme.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => shownScheme(page)).toBe('dark');
  await lookAt(page, testInfo, 'chosen-dark-01-dialog', 'dialog[open]');
  await settings.getByRole('button', { name: 'Close' }).click();
  await lookAt(page, testInfo, 'chosen-dark-02-main');

  // Kept on the device: a reload under the same light system is still dark.
  await page.reload();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expect.poll(() => shownScheme(page)).toBe('dark');

  // Light wins over a dark system the same way.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => shownScheme(page)).toBe('dark');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await theme.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(() => shownScheme(page)).toBe('light');

  // Back to System: the system's dark again, at once.
  await theme.getByRole('radio', { name: 'System' }).check();
  await expect.poll(() => shownScheme(page)).toBe('dark');
});
