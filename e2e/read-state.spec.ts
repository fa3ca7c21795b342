/**
 * Read positions across devices: unread counts agree on every device of a user, reading on
 * one clears the others (one that was offline too), the sender sees `Read`, `Mark as unread`
 * brings the count back everywhere, and a group shows `Read by N`.
 */
import { expect, test } from './support/fixtures';
import {
  conversationItem,
  createGroup,
  expectConnected,
  message,
  openChat,
  openConversation,
  send,
  signIn,
  signUp,
  snap,
} from './support/ui';

test('unread counts agree on two devices of one user; reading on one clears both; the sender sees Read', async ({ server, device }, testInfo) => {
  const laptop = await device('alice-laptop');
  const phone = await device('alice-phone');
  const bob = await device('bob');
  await signUp(laptop, server.url, 'alice', 'Alice');
  await signIn(phone, server.url, 'alice');
  await signUp(bob, server.url, 'bob', 'Bob');

  await openChat(bob, 'alice', 'Alice');
  for (const text of ['one', 'two', 'three']) await send(bob, text);

  // Nobody has opened it on Alice's side: both her devices count 3, and Bob sees Delivered.
  for (const page of [laptop, phone]) {
    await expect(conversationItem(page, 'Bob')).toContainText('3 unread');
    await expect(page).toHaveTitle('(3) Tidings');
  }
  await expect(message(bob, 'three')).toContainText('Delivered');
  await snap(phone, testInfo, '01-phone-3-unread');

  // Reading on the laptop clears the phone's count and tells Bob.
  await openConversation(laptop, 'Bob');
  await expect(conversationItem(phone, 'Bob')).not.toContainText('unread');
  await expect(phone).toHaveTitle('Tidings');
  await expect(conversationItem(laptop, 'Bob')).not.toContainText('unread');
  for (const text of ['one', 'two', 'three']) await expect(message(bob, text)).toContainText('Read');
  await snap(bob, testInfo, '02-bob-read');

  // The phone is offline while two more arrive and the laptop reads them; back online it agrees.
  await phone.context().setOffline(true);
  await expect(phone.getByRole('status').filter({ hasText: /Offline|Connecting/ })).toBeVisible();
  await send(bob, 'four');
  await send(bob, 'five');
  await expect(message(laptop, 'five')).toBeVisible();
  await expect(message(bob, 'five')).toContainText('Read');
  await phone.context().setOffline(false);
  await expectConnected(phone, 30_000);
  await expect(conversationItem(phone, 'Bob')).toContainText('five');
  await expect(conversationItem(phone, 'Bob')).not.toContainText('unread');

  // The phone has the chat open, everything in it read. Mark as unread on the laptop: both
  // devices count from that message again, and the phone, showing it, does not read it back.
  await openConversation(phone, 'Bob');
  await expect(message(phone, 'five')).toBeVisible();
  await message(laptop, 'four').getByRole('button', { name: 'More actions' }).click();
  await laptop.getByRole('menuitem', { name: 'Mark as unread' }).click();
  for (const page of [laptop, phone]) {
    await expect(conversationItem(page, 'Bob')).toContainText('2 unread');
    await expect(page).toHaveTitle('(2) Tidings');
  }
  // Reading moves the position a few times a second at most: well past that, it is still unread.
  await phone.waitForTimeout(2_000);
  await expect(conversationItem(laptop, 'Bob')).toContainText('2 unread');
  // Bob's receipts do not go back: what Alice read stays read.
  await expect(message(bob, 'five')).toContainText('Read');
  await snap(laptop, testInfo, '03-laptop-marked-unread');

  // Opening it again on the phone reads it again, everywhere.
  await phone.reload();
  await expect(message(phone, 'five')).toBeVisible();
  await expect(conversationItem(laptop, 'Bob')).not.toContainText('unread');
});

test('a group shows Read by N on the sender’s messages, with who', async ({ server, device }, testInfo) => {
  const alice = await device('alice');
  const bob = await device('bob');
  const carol = await device('carol');
  await signUp(alice, server.url, 'alice', 'Alice');
  await signUp(bob, server.url, 'bob', 'Bob');
  await signUp(carol, server.url, 'carol', 'Carol');

  await createGroup(alice, 'Book club', 'bob, carol');
  await send(alice, 'Chapter 3 by Friday?');
  const mine = message(alice, 'Chapter 3 by Friday?');
  await expect(mine).toContainText('Sent');
  await expect(mine).not.toContainText('Read by');

  await openConversation(bob, 'Book club');
  await expect(mine).toContainText('Read by 1');
  await openConversation(carol, 'Book club');
  await expect(mine).toContainText('Read by 2');

  await mine.getByRole('button', { name: 'Read by 2' }).click();
  const readers = mine.getByRole('list', { name: 'Read by' });
  await expect(readers).toContainText('Bob');
  await expect(readers).toContainText('Carol');
  await snap(alice, testInfo, '04-group-read-by');
});
