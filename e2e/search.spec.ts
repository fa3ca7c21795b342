/**
 * Local search: `Search messages` finds what this device stores, in English (case- and
 * accent-insensitive, by prefix) and in Chinese (消息 finds 离线消息已送达 and nothing else),
 * highlights the matches, says what it covered, opens a result at its message, forgets a
 * recalled message, and on a fresh device offers to download the older history it lacks.
 */
import type { Page } from '@playwright/test';
import { ApiDevice, createAccount, createSession } from './support/api';
import { expect, test } from './support/fixtures';
import { conversationItem, message, openConversation, signIn, signUp, snap } from './support/ui';

const searchField = (page: Page) => page.getByLabel('Search messages');
const results = (page: Page) => page.getByRole('list', { name: 'Search results' });
const result = (page: Page, text: string) => results(page).getByRole('listitem').filter({ hasText: text });

/** Types a query and waits for the results made for it (the field is debounced). */
async function search(page: Page, query: string): Promise<void> {
  await searchField(page).fill(query);
  await expect(page.getByText(/^Searched /)).toBeVisible();
}

/** Every search token stored in this device's Tidings database(s). */
async function storedTokens(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tidings:'));
    const tokens: string[] = [];
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => res(req.result);
        req.onerror = () => rej(req.error);
      });
      const rows = await new Promise<{ tokens?: string[] }[]>((res, rej) => {
        const req = db.transaction('messages', 'readonly').objectStore('messages').getAll();
        req.onsuccess = () => res(req.result as { tokens?: string[] }[]);
        req.onerror = () => rej(req.error);
      });
      tokens.push(...rows.flatMap((r) => r.tokens ?? []));
      db.close();
    }
    return tokens;
  });
}

test('English and Chinese searches find the right messages; a result opens at its message; a recalled one is gone', async ({ server, device }, testInfo) => {
  const alice = await device('alice');
  await signUp(alice, server.url, 'alice', 'Alice');

  const bobApi = await ApiDevice.connect(server.url, (await createAccount(server.url, 'bob', 'Bob')).token);
  const carolApi = await ApiDevice.connect(server.url, (await createAccount(server.url, 'carol', 'Carol')).token);
  let proxySeq = 0;
  let bobDm = '';
  try {
    bobDm = await bobApi.openDirect('alice');
    const carolDm = await carolApi.openDirect('alice');
    const group = await bobApi.request<{ conversation: { id: string } }>({ type: 'createGroup', name: 'Trip planning', usernames: ['alice', 'carol'] });
    // The Chinese message is far up Bob's chat, so opening it at that message has to scroll there.
    await bobApi.send(bobDm, '离线消息已送达');
    proxySeq = await bobApi.send(bobDm, 'Is the proxy server up again?');
    for (let i = 1; i <= 60; i++) await bobApi.send(bobDm, `filler ${i}`);
    await carolApi.send(carolDm, '消防车来了');
    await carolApi.send(carolDm, 'Été à Paris, on the terrace of a café');
    await carolApi.send(carolDm, 'The PROXY settings are in the wiki');
    await bobApi.send(group.conversation.id, '周末去爬山吗？');
    await carolApi.send(group.conversation.id, 'A proxy-free weekend, please');
  } finally {
    carolApi.close();
  }
  await expect(conversationItem(alice, 'Trip planning')).toContainText('A proxy-free weekend, please', { timeout: 15_000 });
  await expect(conversationItem(alice, 'Bob')).toContainText('filler 60');
  await expect(conversationItem(alice, 'Carol')).toContainText('The PROXY settings are in the wiki');

  // English: a prefix, any case; newest first; the match marked in each.
  await search(alice, 'PROX');
  await expect(results(alice).getByRole('listitem')).toHaveCount(3);
  // [SEARCH-UI-1] The count is said on screen, not only to screen readers.
  const found = alice.getByRole('status').filter({ hasText: '3 messages found' });
  await expect(found).toBeVisible();
  expect((await found.boundingBox())?.height ?? 0).toBeGreaterThan(8);
  expect(await results(alice).getByRole('listitem').allInnerTexts()).toEqual([
    expect.stringContaining('A proxy-free weekend, please'),
    expect.stringContaining('The PROXY settings are in the wiki'),
    expect.stringContaining('Is the proxy server up again?'),
  ]);
  await expect(result(alice, 'A proxy-free').locator('mark')).toHaveText('prox');
  await expect(result(alice, 'PROXY settings').locator('mark')).toHaveText('PROX');
  // Each result names its conversation and sender.
  await expect(result(alice, 'A proxy-free')).toContainText('Trip planning');
  await expect(result(alice, 'A proxy-free')).toContainText('Carol');
  await expect(alice.getByText(/^Searched \d+ messages on this device since /)).toBeVisible();
  // The results stand in for the conversation list while searching.
  await expect(alice.getByRole('list', { name: 'Conversations' })).toBeHidden();
  await snap(alice, testInfo, '01-english-prefix');

  // Accents: `ete` finds Été, `Éte` too, `cafe` finds café; two words must both match.
  await search(alice, 'ete');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(result(alice, 'Été à Paris').locator('mark')).toHaveText('Été');
  await search(alice, 'Éte cafe');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(result(alice, 'Été à Paris').locator('mark')).toHaveText(['Été', 'café']);
  await search(alice, 'proxy wiki');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(results(alice)).toContainText('The PROXY settings are in the wiki');

  // Chinese: 消息 finds 离线消息已送达 and not 消防车来了 (which shares 消).
  await search(alice, '消息');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(result(alice, '离线消息已送达').locator('mark')).toHaveText('消息');
  await expect(result(alice, '离线消息已送达')).toContainText('Bob');
  await snap(alice, testInfo, '02-chinese');
  await search(alice, '爬山');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(results(alice)).toContainText('周末去爬山吗？');
  await search(alice, 'zebra');
  await expect(alice.getByText('No messages found')).toBeVisible();

  // Choosing a result opens its conversation at that message, marked; the search stays.
  await search(alice, '消息');
  await result(alice, '离线消息已送达').getByRole('button').click();
  await expect(alice.getByRole('heading', { name: 'Bob', exact: true })).toBeVisible();
  const original = message(alice, '离线消息已送达');
  await expect(original).toBeVisible({ timeout: 15_000 });
  await expect(original).toHaveClass(/highlighted/);
  await expect(result(alice, '离线消息已送达').getByRole('button')).toHaveAttribute('aria-current', 'true');
  await snap(alice, testInfo, '03-opened-at-result');

  // The keyboard: Arrow down to the results, Enter opens one, Escape clears back to the list.
  await search(alice, 'wiki');
  await expect(results(alice).getByRole('listitem')).toHaveText([/The PROXY settings are in the wiki/]);
  await searchField(alice).press('ArrowDown');
  await expect(result(alice, 'The PROXY settings').getByRole('button')).toBeFocused();
  await alice.keyboard.press('Enter');
  await expect(alice.getByRole('heading', { name: 'Carol', exact: true })).toBeVisible();
  await expect(message(alice, 'The PROXY settings are in the wiki')).toBeVisible();
  // Opening it put the cursor in the composer; Escape in the field clears the search.
  await searchField(alice).press('Escape');
  await expect(searchField(alice)).toHaveValue('');
  await expect(alice.getByRole('list', { name: 'Conversations' })).toBeVisible();

  // Bob recalls his proxy question: it is no longer found, and its words left the index.
  await search(alice, 'prox');
  await expect(results(alice).getByRole('listitem')).toHaveCount(3);
  try {
    await bobApi.request({ type: 'recall', conversationId: bobDm, seq: proxySeq });
  } finally {
    bobApi.close();
  }
  await expect(results(alice).getByRole('listitem')).toHaveCount(2);
  await expect(results(alice)).not.toContainText('Is the proxy server up again?');
  expect(await storedTokens(alice)).not.toContain('again');
  await snap(alice, testInfo, '04-recalled-not-found');
});

test('a fresh device searches what it holds, says so, and Download older messages brings the older matches', async ({ server, device }, testInfo) => {
  await createAccount(server.url, 'alice', 'Alice');
  const bobApi = await ApiDevice.connect(server.url, (await createAccount(server.url, 'bob', 'Bob')).token);
  const aliceApi = await ApiDevice.connect(server.url, (await createSession(server.url, 'alice')).token);
  try {
    const conversationId = await bobApi.openDirect('alice');
    await bobApi.send(conversationId, 'The quarterly budget spreadsheet is attached');
    for (let i = 1; i <= 150; i++) await (i % 2 ? aliceApi : bobApi).send(conversationId, `filler ${i}`);
    const last = await aliceApi.send(conversationId, 'Budget approved, thanks!');
    // She has read it all (elsewhere): the new device opens at the newest, not at an unread line.
    await aliceApi.request({ type: 'read', conversationId, seq: last });
  } finally {
    bobApi.close();
    aliceApi.close();
  }

  const alice = await device('alice-new-laptop');
  await signIn(alice, server.url, 'alice');
  await openConversation(alice, 'Bob');
  await expect(message(alice, 'Budget approved, thanks!')).toBeVisible();

  // This device holds only the latest page: the search says what it covered and offers more.
  await search(alice, 'budget');
  await expect(results(alice).getByRole('listitem')).toHaveCount(1);
  await expect(results(alice)).toContainText('Budget approved, thanks!');
  await expect(alice.getByText('Older messages of one conversation are not on this device.')).toBeVisible();
  const searched = alice.getByText(/^Searched \d+ messages on this device since /);
  const before = Number((await searched.innerText()).match(/Searched ([\d,]+)/)?.[1]?.replace(/,/g, ''));
  expect(before).toBeLessThan(152);
  await snap(alice, testInfo, '05-fresh-device-partial');

  await alice.getByRole('button', { name: 'Download older messages' }).click();
  await expect(results(alice).getByRole('listitem')).toHaveCount(2, { timeout: 20_000 });
  expect(await results(alice).getByRole('listitem').allInnerTexts()).toEqual([
    expect.stringContaining('Budget approved, thanks!'),
    expect.stringContaining('The quarterly budget spreadsheet is attached'),
  ]);
  await expect(alice.getByRole('button', { name: 'Download older messages' })).toBeHidden();
  await expect(searched).toHaveText(/^Searched 152 messages on this device since /);
  await snap(alice, testInfo, '06-after-download');

  await result(alice, 'quarterly budget').getByRole('button').click();
  const oldest = message(alice, 'The quarterly budget spreadsheet is attached');
  await expect(oldest).toBeVisible({ timeout: 15_000 });
  await expect(oldest).toHaveClass(/highlighted/);
  await snap(alice, testInfo, '07-opened-oldest');
});
