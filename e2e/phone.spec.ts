/**
 * On a phone: the conversation list and the conversation are separate views with `Back`, the
 * input stays in view, touch targets are at least 44 px, and the main flows work by touch.
 */
import { devices } from '@playwright/test';
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { connection, conversationItem, message, messageInput, openChat, signUp, snap } from './support/ui';

const phone = { viewport: devices['Pixel 7'].viewport, hasTouch: true, isMobile: true, userAgent: devices['Pixel 7'].userAgent };

test('[PHONE-1] the main flows work on a phone, by touch, with separate list and conversation views', async ({ server, browser }, testInfo) => {
  const context = await browser.newContext(phone);
  try {
    const page = await context.newPage();
    const bob = await createAccount(server.url, 'bob', 'Bob');
    await signUp(page, server.url, 'alice', 'Alice');

    // Starting a chat opens the conversation view alone; Back returns to the list.
    await openChat(page, 'bob', 'Bob');
    await expect(page.getByRole('list', { name: 'Conversations' })).toBeHidden();
    await messageInput(page).tap();
    await messageInput(page).fill('hello from my phone');
    await page.getByRole('button', { name: 'Send' }).tap();
    await expect(message(page, 'hello from my phone')).toContainText(/Sent|Delivered|Read/);
    // The input is on screen and every control in view is big enough to touch.
    await expect(messageInput(page)).toBeInViewport();
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, [role="menuitem"], input, textarea')]
        .filter((el) => el.offsetParent !== null && !el.closest('.visually-hidden'))
        .map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent?.trim() ?? el.tagName, h: el.getBoundingClientRect().height }))
        .filter((b) => b.h > 0 && b.h < 44),
    );
    expect(small).toEqual([]);
    await snap(page, testInfo, '01-conversation');

    // A reply from Bob arrives while the list is shown; tapping it opens the conversation.
    await page.getByRole('button', { name: 'Back' }).tap();
    await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
    const b = await ApiDevice.connect(server.url, bob.token);
    try {
      const id = await b.openDirect('alice');
      await b.send(id, 'hi Alice, got it on my laptop');
    } finally {
      b.close();
    }
    await expect(conversationItem(page, 'Bob')).toContainText('1 unread');
    await snap(page, testInfo, '02-list');
    await conversationItem(page, 'Bob').getByRole('button').first().tap();
    await expect(message(page, 'hi Alice, got it on my laptop')).toBeVisible();

    // The message menu works by touch too.
    await message(page, 'hi Alice, got it on my laptop').getByRole('button', { name: 'More actions' }).tap();
    await page.getByRole('menuitem', { name: 'Reply' }).tap();
    await expect(page.getByText('Replying to')).toBeVisible();
    await snap(page, testInfo, '03-reply');
  } finally {
    await context.close();
  }
});

test('[PHONE-2] [PHONE-3] on a phone the system back returns from a conversation to the list; the input stays above the keyboard', async ({ server, browser }, testInfo) => {
  const context = await browser.newContext(phone);
  try {
    const page = await context.newPage();
    const bob = await createAccount(server.url, 'bob', 'Bob');
    const b = await ApiDevice.connect(server.url, bob.token);
    try {
      // Opened with an address of its own (a demo device's profile): back never changes it.
      const address = `${server.url}/?profile=pixel`;
      await signUp(page, address, 'alice', 'Alice');
      await expect(page).toHaveURL(address);
      await b.send(await b.openDirect('alice'), 'swipe back when you are done');
      await conversationItem(page, 'Bob').getByRole('button').first().tap();
      await expect(message(page, 'swipe back when you are done')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Conversations' })).toBeHidden();

      // The on-screen keyboard takes the lower part of the screen: the app shrinks to what is
      // left (the visual viewport's height), and the input stays in view.
      const full = page.viewportSize() ?? { width: 412, height: 839 };
      await messageInput(page).tap();
      await page.setViewportSize({ width: full.width, height: 420 });
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--app-height'))).toBe('420px');
      await expect(messageInput(page)).toBeInViewport({ ratio: 1 });
      await expect(page.getByRole('heading', { name: 'Bob', exact: true })).toBeInViewport();
      await snap(page, testInfo, '04-keyboard');
      await page.setViewportSize(full);
      await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--app-height'))).toBe(`${full.height}px`);

      // Android's back gesture (the browser's back): the list, still in the app, same address.
      await page.goBack();
      await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
      await expect(page.getByRole('heading', { name: 'Bob', exact: true })).toBeHidden();
      await expect(page).toHaveURL(address);
      await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
      await expect(connection(page)).toContainText('Connected');
      await snap(page, testInfo, '05-after-back');
      // Forward shows the conversation again.
      await page.goForward();
      await expect(message(page, 'swipe back when you are done')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Conversations' })).toBeHidden();

      // The app's own Back takes its entry off too: the next system back leaves the app, as
      // it would from the list.
      await page.getByRole('button', { name: 'Back' }).tap();
      await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
      await expect.poll(() => page.evaluate(() => (history.state as { tidingsConversation?: string } | null)?.tidingsConversation ?? null)).toBeNull();
      await page.goBack();
      await expect(page).toHaveURL('about:blank');
    } finally {
      b.close();
    }
  } finally {
    await context.close();
  }
});

test('[PHONE-2] on a wide screen opening conversations adds no history entries', async ({ server, device }) => {
  await createAccount(server.url, 'bob', 'Bob');
  await createAccount(server.url, 'carol', 'Carol');
  const page = await device('alice-laptop');
  await signUp(page, server.url, 'alice', 'Alice');
  const before = await page.evaluate(() => history.length);
  await openChat(page, 'bob', 'Bob');
  await openChat(page, 'carol', 'Carol');
  await conversationItem(page, 'Bob').getByRole('button').first().click();
  await expect(page.getByRole('heading', { name: 'Bob', exact: true })).toBeVisible();
  expect(await page.evaluate(() => history.length)).toBe(before);
  expect(await page.evaluate(() => history.state as unknown)).toBeNull();
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
});
