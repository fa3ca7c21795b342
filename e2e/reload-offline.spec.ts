/**
 * The app shell and the conversation survive a reload with the server down: the page comes
 * from the service worker's cache, the messages from IndexedDB, and the status says so.
 * When the server is back, the device reconnects by itself.
 */
import { expect, test } from './support/fixtures';
import { connection, expectConnected, expectLog, message, openChat, openConversation, send, signUp, snap } from './support/ui';

test('after a reload with the server stopped the stored conversation shows, then it reconnects', async ({ server, device }, testInfo) => {
  const ivy = await device('ivy');
  const jack = await device('jack');
  await signUp(ivy, server.url, 'ivy', 'Ivy');
  await signUp(jack, server.url, 'jack', 'Jack');
  await openChat(ivy, 'jack', 'Jack');
  await send(ivy, 'ivy: stored locally?');
  await openConversation(jack, 'Ivy');
  await send(jack, 'jack: it should be');
  const expected = ['ivy: stored locally?', 'jack: it should be'];
  await expectLog(ivy, expected);
  await expect(message(ivy, 'ivy: stored locally?')).toContainText(/Delivered|Read/);

  // The service worker has cached the shell; after a reload it controls the page.
  await expect
    .poll(() => ivy.evaluate(() => Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 1_000))])), {
      message: 'the service worker is installed and active',
      timeout: 15_000,
    })
    .toBe(true);
  await ivy.reload();
  await expect(ivy.getByRole('button', { name: 'New chat' })).toBeVisible();
  await expect.poll(() => ivy.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expectConnected(ivy);

  await server.stop();
  await ivy.reload();
  // Signed in still, from local storage, with the stored conversation and its messages.
  await expect(ivy.getByRole('button', { name: 'New chat' })).toBeVisible();
  await openConversation(ivy, 'Jack');
  await expectLog(ivy, expected);
  await expect(connection(ivy)).toContainText('Offline', { timeout: 20_000 });
  await snap(ivy, testInfo, '01-server-down');

  await server.start();
  await expectConnected(ivy, 30_000);
  // Still the same conversation, and it works again.
  await send(ivy, 'ivy: back online');
  await expect(message(jack, 'ivy: back online')).toBeVisible({ timeout: 30_000 });
  await expect(message(ivy, 'ivy: back online')).toContainText(/Delivered|Read/, { timeout: 30_000 });
  await expectLog(ivy, [...expected, 'ivy: back online']);
  await snap(ivy, testInfo, '02-reconnected');
});
