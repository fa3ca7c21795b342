/**
 * A client crash loses nothing and duplicates nothing: messages still in the outbox when the
 * page is closed are sent once, in order, after the app is opened again on that device.
 */
import { expect, test } from './support/fixtures';
import { connection, expectConnected, expectLog, message, messageInput, openChat, openConversation, send, signUp, snap } from './support/ui';

test('messages queued when the page closed are sent once, in order, after reopening', async ({ server, device }, testInfo) => {
  const gail = await device('gail');
  const hugo = await device('hugo');
  await signUp(gail, server.url, 'gail', 'Gail');
  await signUp(hugo, server.url, 'hugo', 'Hugo');
  await openChat(gail, 'hugo', 'Hugo');
  await send(gail, 'before the crash');
  await openConversation(hugo, 'Gail');

  await gail.context().setOffline(true);
  await expect(connection(gail)).toContainText('Offline', { timeout: 60_000 });
  const queued = ['queued one', 'queued two', 'queued three'];
  for (const text of queued) {
    await messageInput(gail).fill(text);
    await messageInput(gail).press('Enter');
    await expect(message(gail, text)).toContainText('Sending');
  }
  await snap(gail, testInfo, '01-queued');

  // The page goes away with its outbox full (the app's process is gone)…
  const context = gail.context();
  await gail.close();
  await context.setOffline(false);
  // …and the app is opened again on the same device (same profile, same IndexedDB).
  const reopened = await context.newPage();
  await reopened.goto(server.url);
  await expectConnected(reopened, 30_000);
  await openConversation(reopened, 'Hugo');
  for (const text of queued) await expect(message(reopened, text)).toContainText(/Sent|Delivered|Read/, { timeout: 30_000 });

  const expected = ['before the crash', ...queued];
  await expectLog(hugo, expected);
  await expectLog(reopened, expected);
  for (const text of queued) {
    await expect(message(hugo, text)).toHaveCount(1);
    await expect(message(reopened, text)).toHaveCount(1);
  }
  await snap(reopened, testInfo, '02-sent-after-reopen');
});
