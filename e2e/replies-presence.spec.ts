/**
 * Replies, synced drafts, typing and presence, as two people on three devices see them.
 */
import { ApiDevice, createAccount, createSession } from './support/api';
import { expect, test } from './support/fixtures';
import { conversationItem, message, messageInput, messageLog, openChat, openConversation, send, signIn, signUp, snap } from './support/ui';

test('a reply quotes its message; clicking the quote loads older history and shows the original', async ({ server, device }, testInfo) => {
  // Bob asked something 120 messages ago; Alice replies to it from the API.
  await createAccount(server.url, 'alice', 'Alice');
  const bobSession = await createAccount(server.url, 'bob', 'Bob');
  const bobApi = await ApiDevice.connect(server.url, bobSession.token);
  const aliceApi = await ApiDevice.connect(server.url, (await createSession(server.url, 'alice')).token);
  try {
    const conversationId = await bobApi.openDirect('alice');
    const asked = await bobApi.send(conversationId, 'Where shall we meet on Saturday?\nI can do mornings.');
    for (let i = 1; i <= 120; i++) await (i % 2 ? aliceApi : bobApi).send(conversationId, `filler ${i}`);
    const last = await aliceApi.send(conversationId, 'By the fountain at ten', asked);
    // Bob has read it all (elsewhere): his new device opens at the newest, not at an unread line.
    await bobApi.request({ type: 'read', conversationId, seq: last });
  } finally {
    bobApi.close();
    aliceApi.close();
  }

  const bob = await device('bob-new-device');
  await signIn(bob, server.url, 'bob');
  await openConversation(bob, 'Alice');
  const reply = message(bob, 'By the fountain at ten');
  await expect(reply.getByRole('button', { name: /^You Where shall we meet on Saturday\?$/ })).toBeVisible();
  await expect(reply).not.toContainText('I can do mornings');
  await expect(messageLog(bob).getByText('Where shall we meet on Saturday?', { exact: false })).toHaveCount(1);

  await reply.getByRole('button', { name: /Where shall we meet/ }).click();
  const original = message(bob, 'I can do mornings.');
  await expect(original).toBeVisible({ timeout: 15_000 });
  await expect(original).toHaveClass(/highlighted/);
  await snap(bob, testInfo, '01-jumped-to-original');

  // Replying from the menu: the composer shows whom, and the sent message carries the quote.
  await original.getByRole('button', { name: 'More actions' }).click();
  await bob.getByRole('menuitem', { name: 'Reply' }).click();
  await expect(bob.getByText('Replying to')).toBeVisible();
  await messageInput(bob).fill('Mornings it is');
  await messageInput(bob).press('Enter');
  const mine = message(bob, 'Mornings it is');
  await expect(mine.getByRole('button', { name: /^You Where shall we meet/ })).toBeVisible();
  await expect(mine).toContainText(/Sent|Delivered|Read/);
  await expect(bob.getByText('Replying to')).toHaveCount(0);
});

test('drafts follow the user between devices; typing shows and expires; presence shows Online, then Last seen', async ({ server, device }, testInfo) => {
  const laptop = await device('alice-laptop');
  const bob = await device('bob');
  await signUp(laptop, server.url, 'alice', 'Alice');
  await signUp(bob, server.url, 'bob', 'Bob');
  await openChat(laptop, 'bob', 'Bob');
  await send(laptop, 'hi Bob');
  await openConversation(bob, 'Alice');
  await expect(laptop.getByText('Online', { exact: true })).toBeVisible();

  // Typing: Alice sees it while Bob types, and it goes away 5 s after he stops.
  await messageInput(bob).pressSequentially('I was just about to', { delay: 20 });
  await expect(laptop.getByText('Bob is typing…')).toBeVisible();
  await snap(laptop, testInfo, '02-typing');
  await expect(laptop.getByText('Bob is typing…')).toBeHidden({ timeout: 8_000 });
  // Bob's own screen never says he is typing.
  await expect(bob.getByText('Bob is typing…')).toHaveCount(0);

  // Bob's unsent text is a draft: it shows in his list and on his second device.
  await openConversation(bob, 'Alice');
  const phone = await device('bob-phone');
  await signIn(phone, server.url, 'bob');
  await expect(conversationItem(phone, 'Alice')).toContainText('Draft: I was just about to');
  await openConversation(phone, 'Alice');
  await expect(messageInput(phone)).toHaveValue('I was just about to');
  await snap(phone, testInfo, '03-draft-on-phone');

  // Finishing it on the phone and sending clears it on the laptop too.
  await messageInput(phone).fill('I was just about to write to you!');
  await messageInput(phone).press('Enter');
  await expect(message(bob, 'I was just about to write to you!')).toBeVisible();
  await expect(messageInput(bob)).toHaveValue('');

  // When Bob closes both devices, Alice sees when he was last seen.
  await bob.context().close();
  await phone.context().close();
  await expect(laptop.getByText(/^Last seen/)).toBeVisible({ timeout: 10_000 });
  await snap(laptop, testInfo, '04-last-seen');
});
