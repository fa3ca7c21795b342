/**
 * A message's menu, as a person uses it in the open conversation: `Mark as unread` shows where
 * unread begins and sticks while the conversation stays open.
 */
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { conversationItem, message, messageLog, openChat, openConversation, send, signIn, signUp, snap } from './support/ui';

test('[READ-9] Mark as unread shows the Unread messages line above that message, and it stays unread while the conversation is open, until one sends', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const bob = await device('bob', { viewport: { width: 1280, height: 800 } });
  await signUp(bob, server.url, 'bob', 'Bob');
  const a = await ApiDevice.connect(server.url, alice.token);
  try {
    await openChat(bob, 'alice', 'Alice');
    const id = await a.openDirect('bob');
    // Read while open, as they come: no line.
    for (const text of ['one', 'two', 'three']) await a.send(id, text);
    await expect(message(bob, 'three')).toBeVisible();
    await expect(conversationItem(bob, 'Alice')).not.toContainText('unread');
    const log = messageLog(bob);
    await expect(log.getByRole('separator')).toHaveCount(0);

    await message(bob, 'two').getByRole('button', { name: 'More actions' }).click();
    await bob.getByRole('menuitem', { name: 'Mark as unread' }).click();
    await expect(conversationItem(bob, 'Alice')).toContainText('2 unread');
    const line = log.getByRole('separator').filter({ hasText: 'Unread messages' });
    await expect(line).toBeVisible();
    await expect(log.locator('[role="separator"] + article')).toContainText('two');
    await snap(bob, testInfo, '01-marked-unread');

    // A message arriving on screen does not read it all again while it stays open.
    await a.send(id, 'four');
    await expect(message(bob, 'four')).toBeInViewport();
    await expect(conversationItem(bob, 'Alice')).toContainText('3 unread');
    // Nothing to wait for when nothing should happen: it stays so for well past the moment a
    // read would go (the log still for 250 ms, then a write at once).
    for (let i = 0; i < 8; i++) {
      await bob.waitForTimeout(250);
      await expect(bob).toHaveTitle('(3) Tidings', { timeout: 1 });
    }

    // Sending is reading: the count clears.
    await send(bob, 'ok, read it now');
    await expect(conversationItem(bob, 'Alice')).not.toContainText('unread');
    await expect(bob).toHaveTitle('Tidings');
  } finally {
    a.close();
  }
});

test('[MENU-1] on a phone the menu stays inside the screen, for someone else’s message and for one’s own', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const viewport = { width: 390, height: 844 };
  const bob = await device('bob-phone', { viewport, hasTouch: true });
  await signUp(bob, server.url, 'bob', 'Bob');
  const a = await ApiDevice.connect(server.url, alice.token);
  try {
    const id = await a.openDirect('bob');
    await a.send(id, 'A message from Alice that is long enough to fill the bubble to its widest on a phone');
    await a.send(id, 'ok');
  } finally {
    a.close();
  }
  await openConversation(bob, 'Alice');
  await send(bob, 'and a long one of my own, wide enough to reach the other side of the screen');

  for (const text of ['A message from Alice', 'ok', 'and a long one of my own']) {
    await message(bob, text).getByRole('button', { name: 'More actions' }).click();
    const menu = bob.getByRole('menu');
    await expect(bob.getByRole('menuitem', { name: 'Reply' })).toBeFocused();
    const box = await menu.boundingBox();
    if (!box) throw new Error('no menu box');
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
    if (text === 'A message from Alice') await snap(bob, testInfo, '02-phone-menu-theirs');
    await bob.keyboard.press('Escape');
    await expect(menu).toBeHidden();
  }
});

test('[MENU-2] right-click on a message opens its menu where the pointer is; on a phone a long press does, and More actions sits in the bubble, not in a column beside it', async ({ server, device }, testInfo) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const a = await ApiDevice.connect(server.url, alice.token);
  try {
    const laptop = await device('bob-laptop', { viewport: { width: 1280, height: 800 } });
    await signUp(laptop, server.url, 'bob', 'Bob');
    const id = await a.openDirect('bob');
    await a.send(id, 'Right-click me, or press and hold me on a phone');
    await openConversation(laptop, 'Alice');

    // Desktop: the context menu is the message's menu, at the pointer.
    const bubble = message(laptop, 'Right-click me').locator('.bubble');
    const box = await bubble.boundingBox();
    if (!box) throw new Error('no bubble box');
    await laptop.mouse.click(box.x + 40, box.y + 10, { button: 'right' });
    const menu = laptop.getByRole('menu');
    await expect(menu).toBeVisible();
    await expect(laptop.getByRole('menuitem', { name: 'Reply' })).toBeFocused();
    const at = await menu.boundingBox();
    expect(Math.abs((at?.x ?? 0) - (box.x + 40))).toBeLessThan(10);
    await snap(laptop, testInfo, '03-right-click');
    await laptop.keyboard.press('Escape');
    await expect(menu).toBeHidden();

    // Phone: no column for the button; a long press opens the menu, a tap does not.
    const phone = await device('bob-phone', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await signIn(phone, server.url, 'bob');
    await openConversation(phone, 'Alice');
    const row = message(phone, 'Right-click me');
    const more = row.getByRole('button', { name: 'More actions' });
    const onPhone = await row.locator('.bubble').boundingBox();
    const moreBox = await more.boundingBox();
    if (!onPhone || !moreBox) throw new Error('no boxes');
    expect(moreBox.x + moreBox.width / 2).toBeLessThan(onPhone.x + onPhone.width);
    expect(moreBox.x + moreBox.width / 2).toBeGreaterThan(onPhone.x);
    const phoneMenu = phone.getByRole('menu');
    await row.locator('.bubble .text').tap();
    await expect(phoneMenu).toHaveCount(0);

    const cdp = await phone.context().newCDPSession(phone);
    const x = onPhone.x + 30;
    const y = onPhone.y + 15;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
    await expect(phoneMenu).toBeVisible();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    // Lifting the finger leaves the menu open (it was no tap).
    await expect(phoneMenu).toBeVisible();
    await snap(phone, testInfo, '04-long-press');
    await phone.getByRole('menuitem', { name: 'Reply' }).tap();
    await expect(phone.getByText('Replying to')).toBeVisible();

    // The button still opens it, by touch.
    await more.tap();
    await expect(phoneMenu).toBeVisible();
  } finally {
    a.close();
  }
});

test('[MENU-3] Recall asks first, in the menu’s place: Cancel or Escape leaves the message, Recall recalls it', async ({ server, device }, testInfo) => {
  await createAccount(server.url, 'alice', 'Alice');
  const bob = await device('bob', { viewport: { width: 1280, height: 800 } });
  await signUp(bob, server.url, 'bob', 'Bob');
  await openChat(bob, 'alice', 'Alice');
  await send(bob, 'sent to the wrong person');
  const row = message(bob, 'sent to the wrong person');
  const more = row.getByRole('button', { name: 'More actions' });
  const question = bob.getByRole('alertdialog', { name: 'Recall this message for everyone?' });

  await more.click();
  await bob.getByRole('menuitem', { name: 'Recall' }).click();
  await expect(question).toBeVisible();
  await expect(bob.getByRole('menu')).toHaveCount(0);
  await expect(question.getByRole('button', { name: 'Recall' })).toBeFocused();
  await snap(bob, testInfo, '05-recall-asks');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await expect(question).toHaveCount(0);
  await expect(more).toBeFocused();
  await expect(row).toContainText('sent to the wrong person');

  await more.click();
  await bob.getByRole('menuitem', { name: 'Recall' }).click();
  await bob.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(row).toContainText('sent to the wrong person');

  await more.click();
  await bob.getByRole('menuitem', { name: 'Recall' }).click();
  await question.getByRole('button', { name: 'Recall' }).click();
  await expect(messageLog(bob).getByRole('article').filter({ hasText: 'You recalled a message' })).toBeVisible();
  await expect(bob.getByText('sent to the wrong person')).toHaveCount(0);
});

test('[MENU-4] Copy puts the message’s text on the clipboard, from the menu and from a right-click', async ({ server, device }) => {
  const alice = await createAccount(server.url, 'alice', 'Alice');
  const bob = await device('bob', { viewport: { width: 1280, height: 800 }, permissions: ['clipboard-read', 'clipboard-write'] });
  await signUp(bob, server.url, 'bob', 'Bob');
  const text = 'Gate code: 4512#\nSecond line, 第二行 🎒';
  const a = await ApiDevice.connect(server.url, alice.token);
  try {
    const id = await a.openDirect('bob');
    await a.send(id, text);
  } finally {
    a.close();
  }
  await openConversation(bob, 'Alice');
  await send(bob, 'noted');
  const clipboard = () => bob.evaluate(() => navigator.clipboard.readText());

  await message(bob, 'Gate code').getByRole('button', { name: 'More actions' }).click();
  await bob.getByRole('menuitem', { name: 'Copy' }).click();
  await expect(bob.getByRole('menu')).toHaveCount(0);
  await expect.poll(clipboard).toBe(text);

  await message(bob, 'noted').locator('.bubble').click({ button: 'right' });
  await bob.getByRole('menuitem', { name: 'Copy' }).click();
  await expect.poll(clipboard).toBe('noted');
});
