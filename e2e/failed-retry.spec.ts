/**
 * A message that cannot be sent shows `Failed` and says why in words under it. A refusal for
 * good fails it at once, the messages queued after it still go, and it offers `Delete` (a retry
 * could only be refused again). A message that failed because the server would not take it for
 * a while offers `Retry`, and goes out exactly once when retried after the server is back.
 */
import { ApiDevice, createSession } from './support/api';
import { expect, test } from './support/fixtures';
import { unreadable } from './support/contrast';
import { TestServer } from './support/server';
import {
  connection,
  createGroup,
  expectConnected,
  expectLog,
  memberItem,
  message,
  messageInput,
  openChat,
  openConversation,
  openSettings,
  send,
  signUp,
  snap,
} from './support/ui';
import type { Page } from '@playwright/test';

/** Types a message and presses Enter, without waiting for the server to take it. */
async function write(page: Page, text: string): Promise<void> {
  await messageInput(page).fill(text);
  await messageInput(page).press('Enter');
  await expect(messageInput(page)).toHaveValue('');
  await expect(message(page, text)).toBeVisible();
}

test('[OUT-6][OUT-9][THEME-3] a message queued offline to a group one was removed from meanwhile fails at once, says why, and can be deleted; the next message goes', async ({ server, device }, testInfo) => {
  const bob = await device('bob');
  // Alice's system is dark: `Failed` on her own bubble must read there too.
  const alice = await device('alice', { colorScheme: 'dark' });
  await signUp(bob, server.url, 'bob', 'Bob');
  await signUp(alice, server.url, 'alice', 'Alice');
  await createGroup(bob, 'Trip', 'alice');
  await send(bob, 'Who brings what?');
  await openChat(alice, 'bob', 'Bob');
  await send(alice, 'Ready for the trip');
  await openConversation(alice, 'Trip');
  await send(alice, 'I can drive');

  // Alice loses the network and writes on: to the group, then to Bob.
  await alice.context().setOffline(true);
  await expect(connection(alice)).toContainText('Offline', { timeout: 60_000 });
  await write(alice, 'I will bring the map');
  await expect(message(alice, 'I will bring the map')).toContainText('Sending');
  await openConversation(alice, 'Bob');
  await write(alice, 'Are we still on?');
  await expect(message(alice, 'Are we still on?')).toContainText('Sending');

  // Meanwhile Bob removes her from the group.
  await openConversation(bob, 'Trip');
  const settings = await openSettings(bob);
  await memberItem(settings, 'Alice').getByRole('button', { name: 'Remove', exact: true }).click();
  await memberItem(settings, 'Alice').getByRole('button', { name: 'Yes, remove' }).click();
  await expect(memberItem(settings, 'Alice')).toHaveCount(0);
  await settings.getByRole('button', { name: 'Close', exact: true }).click();

  // Back online: the server refuses the group's message, and the one queued after it still goes.
  await alice.context().setOffline(false);
  await expectConnected(alice, 30_000);
  await expect(message(alice, 'Are we still on?')).toContainText(/Delivered|Read/, { timeout: 30_000 });
  await openConversation(alice, 'Trip');
  const refused = message(alice, 'I will bring the map');
  await expect(refused).toContainText('Failed', { timeout: 30_000 });
  // Why, in words on the screen (a touch screen shows no tooltip), not a code; no Retry that
  // could only be refused again, but Delete, described by the same words.
  const why = 'Not sent: you are not in this conversation any more.';
  await expect(refused).toContainText(why);
  await expect(refused.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
  const discard = refused.getByRole('button', { name: 'Delete', exact: true });
  await expect(discard).toHaveAccessibleDescription(why);
  expect(await unreadable(alice)).toEqual([]);
  await snap(alice, testInfo, '01-refused');

  // Deleting drops it from her device; nothing of it ever reached the group.
  await discard.click();
  await expect(message(alice, 'I will bring the map')).toHaveCount(0);
  await expect(message(alice, 'I can drive')).toHaveCount(1);
  await send(bob, 'Bob brings the tent');
  await expect(message(bob, 'I will bring the map')).toHaveCount(0);
  await expect(message(bob, 'I can drive')).toHaveCount(1);

  // The one-to-one message went once.
  await openConversation(bob, 'Alice');
  await expectLog(bob, ['Ready for the trip', 'Are we still on?']);
});

test('[OUT-4][THEME-3] a message the server will not take for a while fails after its tries; Retry once the server is back sends it exactly once', async ({ device }, testInfo) => {
  // A strict per-user limit, counted over ten minutes: once the account has used it up, every
  // request of every device of that account is refused with `rate_limited` until then.
  const server = new TestServer({ env: { TIDINGS_USER_RATE_POINTS: '120', TIDINGS_RATE_POINTS: '400', TIDINGS_RATE_WINDOW_S: '600' } });
  await server.start();
  try {
    const bob = await device('bob');
    const alice = await device('alice');
    await signUp(bob, server.url, 'bob', 'Bob');
    await signUp(alice, server.url, 'alice', 'Alice');
    await openChat(alice, 'bob', 'Bob');
    await send(alice, 'first, before the flood');
    await openConversation(bob, 'Alice');
    await expect(message(bob, 'first, before the flood')).toBeVisible();

    // Another device of Alice's (a runaway script, say) uses up what her account may ask.
    const script = await ApiDevice.connect(server.url, (await createSession(server.url, 'alice')).token);
    try {
      let refused = false;
      for (let i = 0; i < 200 && !refused; i++) {
        refused = await script.request({ type: 'devices' }).then(
          () => false,
          (err: unknown) => {
            if (err instanceof Error && err.message.includes('rate_limited')) return true;
            throw err;
          },
        );
      }
      expect(refused).toBe(true);
    } finally {
      script.close();
    }

    // Her message is tried again and again with backoff, then shows Failed with Retry.
    await write(alice, 'second, during the flood');
    const pending = message(alice, 'second, during the flood');
    await expect(pending).toContainText('Sending');
    await expect(pending).toContainText('Failed', { timeout: 45_000 });
    const retry = pending.getByRole('button', { name: 'Retry', exact: true });
    await expect(retry).toBeVisible();
    // Why, in words under it and as Retry's description, not a code.
    const why = 'Not sent: too many messages for now. Try again in a moment.';
    await expect(pending).toContainText(why);
    await expect(retry).toHaveAccessibleDescription(why);
    expect(await unreadable(alice)).toEqual([]);
    await snap(alice, testInfo, '02-failed');
    await expect(message(bob, 'second, during the flood')).toHaveCount(0);

    // The server comes back with its counts forgotten (a restart). A failed message stays
    // failed until the person says so: nothing goes by itself.
    await server.restart();
    await expectConnected(alice, 30_000);
    await expectConnected(bob, 30_000);
    await send(bob, 'are you there?');
    await expect(message(alice, 'are you there?')).toBeVisible();
    await expect(pending).toContainText('Failed');
    await expect(message(bob, 'second, during the flood')).toHaveCount(0);

    await retry.click();
    await expect(pending).toContainText(/Delivered|Read/, { timeout: 30_000 });
    await expect(pending.getByRole('button', { name: 'Retry', exact: true })).toHaveCount(0);
    await send(alice, 'third, after the retry');
    // Exactly once, on both sides, in the order the server took them.
    const expected = ['first, before the flood', 'are you there?', 'second, during the flood', 'third, after the retry'];
    await expectLog(alice, expected);
    await expectLog(bob, expected);
    await snap(alice, testInfo, '03-retried');
  } finally {
    await server.dispose();
  }
});
