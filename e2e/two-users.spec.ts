/** Two people sign up, one starts a chat, they talk; both see one conversation, in one order. */
import { expect, test } from './support/fixtures';
import { expectLog, message, messageInput, openChat, openConversation, send, signUp, snap } from './support/ui';

test('two users exchange messages and see the same conversation', async ({ server, device }, testInfo) => {
  const alice = await device('alice');
  const bob = await device('bob');
  await alice.goto(server.url);
  await expect(alice.getByLabel('Server')).toHaveValue(server.url);
  await snap(alice, testInfo, '00-sign-in');
  await signUp(alice, server.url, 'alice', 'Alice Liddell');
  await signUp(bob, server.url, 'bob', 'Bob Builder');
  await snap(alice, testInfo, '01-signed-in');

  // Alice starts the chat; its title is the other person's display name.
  await openChat(alice, 'bob', 'Bob Builder');
  await send(alice, 'Hello Bob, it is Alice');

  // Bob sees the conversation appear and opens it.
  await openConversation(bob, 'Alice Liddell');
  await expect(message(bob, 'Hello Bob, it is Alice')).toBeVisible();
  await send(bob, 'Hi Alice!');

  // Shift+Enter makes a new line; Enter sends the two lines as one message.
  const input = messageInput(alice);
  await input.pressSequentially('First line');
  await input.press('Shift+Enter');
  await input.pressSequentially('second line');
  await expect(input).toHaveValue('First line\nsecond line');
  await expect(message(alice, 'First line')).toHaveCount(0);
  await input.press('Enter');
  await expect(input).toHaveValue('');
  const multi = message(alice, 'First line');
  await expect(multi).toHaveCount(1);
  await expect(multi).toContainText(/Sent|Delivered|Read/);
  await expect(multi).toContainText('second line');
  expect(await multi.innerText()).toMatch(/First line\nsecond line/);

  await send(bob, 'Got both lines');
  await send(alice, 'Great, bye');

  const expected = ['Hello Bob, it is Alice', 'Hi Alice!', 'First line\nsecond line', 'Got both lines', 'Great, bye'];
  await expectLog(alice, expected);
  await expectLog(bob, expected);

  // The sender's own messages end up Delivered once the other device stored them.
  await expect(message(alice, 'Great, bye')).toContainText(/Delivered|Read/);
  await expect(message(alice, 'Hello Bob, it is Alice')).toContainText(/Delivered|Read/);
  await expect(message(bob, 'Got both lines')).toContainText(/Delivered|Read/);
  // Received messages carry no delivery state.
  await expect(message(bob, 'Great, bye')).not.toContainText(/Sending|Sent|Delivered|Read|Failed/);

  await snap(alice, testInfo, '02-alice-chat');
  await snap(bob, testInfo, '03-bob-chat');
});
