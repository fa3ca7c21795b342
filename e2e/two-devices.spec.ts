/** One person on two devices plus a peer: every message shows on both devices, in one order. */
import { expect, test } from './support/fixtures';
import { articleTexts, expectLog, message, openChat, openConversation, send, signIn, signUp, snap } from './support/ui';

test('messages from either device and from the peer show on both devices in the same order', async ({ server, device }, testInfo) => {
  const laptop = await device('carol-laptop');
  const peer = await device('dave');
  await signUp(laptop, server.url, 'carol', 'Carol');
  await signUp(peer, server.url, 'dave', 'Dave');

  await openChat(laptop, 'dave', 'Dave');
  await send(laptop, 'laptop 1: hi Dave');

  // A second device for Carol: a new context that signs in to the existing account.
  const phone = await device('carol-phone');
  await signIn(phone, server.url, 'carol');
  await openConversation(phone, 'Dave');
  await expect(message(phone, 'laptop 1: hi Dave')).toBeVisible();

  await openConversation(peer, 'Carol');
  await send(peer, 'dave 1: hello Carol');
  await send(phone, 'phone 1: writing from my phone');
  await send(laptop, 'laptop 2: and from the laptop');
  await send(peer, 'dave 2: both arrive');
  await send(phone, 'phone 2: last one');

  const expected = [
    'laptop 1: hi Dave',
    'dave 1: hello Carol',
    'phone 1: writing from my phone',
    'laptop 2: and from the laptop',
    'dave 2: both arrive',
    'phone 2: last one',
  ];
  await expectLog(laptop, expected);
  await expectLog(phone, expected);
  await expectLog(peer, expected);
  expect(await articleTexts(laptop, expected)).toEqual(await articleTexts(phone, expected));

  // Carol's messages sent from the other device are hers too: they carry a delivery state.
  await expect(message(laptop, 'phone 2: last one')).toContainText(/Delivered|Read/);
  await expect(message(phone, 'laptop 2: and from the laptop')).toContainText(/Delivered|Read/);

  await snap(laptop, testInfo, '01-laptop');
  await snap(phone, testInfo, '02-phone');
});
