/** A message written offline shows at once as `Sending`, and goes out exactly once on reconnect. */
import { expect, test } from './support/fixtures';
import { connection, expectConnected, expectLog, message, messageInput, openChat, openConversation, send, signUp, snap } from './support/ui';

test('a message sent offline is shown at once and delivered exactly once when back online', async ({ server, device }, testInfo) => {
  const erin = await device('erin');
  const frank = await device('frank');
  await signUp(erin, server.url, 'erin', 'Erin');
  await signUp(frank, server.url, 'frank', 'Frank');
  await openChat(erin, 'frank', 'Frank');
  await send(erin, 'before going offline');
  await openConversation(frank, 'Erin');
  await expect(message(frank, 'before going offline')).toBeVisible();

  await erin.context().setOffline(true);
  // The socket may take a moment to notice the network is gone.
  await expect(connection(erin)).toContainText('Offline', { timeout: 60_000 });

  const text = 'written while offline';
  const input = messageInput(erin);
  await input.fill(text);
  await input.press('Enter');
  const pending = message(erin, text);
  await expect(pending).toBeVisible();
  await expect(pending).toContainText('Sending');
  await snap(erin, testInfo, '01-offline-sending');
  // It stays queued while offline.
  await expect(message(frank, text)).toHaveCount(0);

  await erin.context().setOffline(false);
  await expectConnected(erin, 30_000);
  await expect(pending).toContainText(/Sent|Delivered|Read/, { timeout: 30_000 });
  await expect(pending).toContainText(/Delivered|Read/);

  // Exactly once, on both sides, after everything settled.
  await expect(message(frank, text)).toHaveCount(1);
  await send(frank, 'got it once');
  const expected = ['before going offline', text, 'got it once'];
  await expectLog(erin, expected);
  await expectLog(frank, expected);
  await expect(message(erin, text)).toHaveCount(1);
  await expect(message(frank, text)).toHaveCount(1);
  await snap(erin, testInfo, '02-back-online');
});
