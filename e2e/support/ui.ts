/**
 * Steps a person takes in the app, found only by the accessible names of
 * /work/shared/design/UI-CONTRACT.md (roles, labels, visible text).
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PASSWORD = 'correct horse battery';
const SCREENS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'screens');

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The connection indicator (one `status` among others, e.g. the log's `Loading`). */
export function connection(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /Connected|Connecting|Offline/ });
}

export async function expectConnected(page: Page, timeout = 15_000): Promise<void> {
  await expect(connection(page)).toContainText('Connected', { timeout });
}

async function fillSignIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Server').fill(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
}

/** Creates an account on this device and waits for the main screen to be connected. */
export async function signUp(page: Page, url: string, username: string, displayName?: string): Promise<void> {
  await fillSignIn(page, url, username);
  // The form signs in until the person chooses to create an account; then it asks for a display name.
  await page.getByRole('button', { name: 'Create account' }).click();
  if (displayName) await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expectConnected(page);
}

/** Signs an existing account in on this device. */
export async function signIn(page: Page, url: string, username: string): Promise<void> {
  await fillSignIn(page, url, username);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expectConnected(page);
}

/** Starts (or opens) the one-to-one chat with `username`; `title` is the heading expected. */
export async function openChat(page: Page, username: string, title: string): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'New chat' });
  await dialog.getByLabel('Username').fill(username);
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
}

export function conversationItem(page: Page, title: string): Locator {
  return page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('listitem', { name: new RegExp(`^${escapeRe(title)}`) });
}

/** Opens a conversation from the list by its title. */
export async function openConversation(page: Page, title: string, timeout = 15_000): Promise<void> {
  const item = conversationItem(page, title);
  await expect(item).toBeVisible({ timeout });
  await item.getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: title, exact: true })).toBeVisible();
}

export function messageLog(page: Page): Locator {
  return page.getByRole('log', { name: 'Messages' });
}

export function messageInput(page: Page): Locator {
  return page.getByLabel('Message', { exact: true });
}

/** The article holding exactly this message text (the text is unique within a test). */
export function message(page: Page, text: string): Locator {
  return messageLog(page).getByRole('article').filter({ hasText: text });
}

/**
 * Types `text` into the composer, presses Enter, and waits until the server has taken the
 * message (`Sent`, `Delivered` or `Read`), so the order of messages from several devices is the order
 * of the test's steps.
 */
export async function send(page: Page, text: string): Promise<void> {
  const input = messageInput(page);
  await input.fill(text);
  await input.press('Enter');
  await expect(input).toHaveValue('');
  await expect(message(page, text)).toBeVisible();
  await expect(message(page, text)).toContainText(/Sent|Delivered|Read/);
}

/**
 * The texts of the articles in the log, top to bottom, each reduced to which of `known` it
 * contains (the longest match); an article matching none is kept as `?` plus its whole text,
 * so unexpected rows show up in a diff.
 */
export async function articleTexts(page: Page, known: readonly string[]): Promise<string[]> {
  const raw = await messageLog(page).getByRole('article').allInnerTexts();
  const byLength = [...known].sort((a, b) => b.length - a.length);
  return raw.map((t) => byLength.find((k) => t.includes(k)) ?? `? ${t}`);
}

/** Waits until the log shows exactly `expected`, in this order. */
export async function expectLog(page: Page, expected: readonly string[], timeout = 15_000): Promise<void> {
  await expect.poll(() => articleTexts(page, expected), { timeout }).toEqual(expected);
}

/** Saves a screenshot to test-results/screens/<test>-<step>.png for a person to look at. */
export async function snap(page: Page, testInfo: TestInfo, step: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  const test = basename(testInfo.file).replace(/\.spec\.ts$/, '');
  await page.screenshot({ path: join(SCREENS, `${test}-${step}.png`) });
}

/** Creates a group from the `New group` dialog and waits for it to open. */
export async function createGroup(page: Page, name: string, members: string): Promise<void> {
  await page.getByRole('button', { name: 'New group', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New group' });
  await dialog.getByLabel('Group name').fill(name);
  await dialog.getByLabel('Members').fill(members);
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
}

/** Opens the open conversation's settings dialog. */
export async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Conversation settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Conversation settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** One member's row in the settings dialog's `Members` list. */
export function memberItem(dialog: Locator, name: string): Locator {
  return dialog.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name });
}

/** The system lines (notes) in the log, top to bottom. */
export async function logNotes(page: Page): Promise<string[]> {
  return (await messageLog(page).getByRole('note').allInnerTexts()).map((t) => t.trim());
}

/**
 * Messages and system lines in the log, top to bottom: a message as the one of `known` it
 * contains (as in `articleTexts`), a system line as `— its text`.
 */
export async function logRows(page: Page, known: readonly string[]): Promise<string[]> {
  const rows = messageLog(page).locator('article, [role="note"]');
  const byLength = [...known].sort((a, b) => b.length - a.length);
  const out: string[] = [];
  for (const row of await rows.all()) {
    const text = (await row.innerText()).trim();
    if ((await row.getAttribute('role')) === 'note') out.push(`— ${text}`);
    else out.push(byLength.find((k) => text.includes(k)) ?? `? ${text}`);
  }
  return out;
}
