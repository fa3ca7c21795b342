/**
 * On a phone: the conversation list and the conversation are separate views with `Back`, the
 * input stays in view, touch targets are at least 44 px, and the main flows work by touch.
 */
import { devices } from '@playwright/test';
import { ApiDevice, createAccount } from './support/api';
import { expect, test } from './support/fixtures';
import { conversationItem, message, messageInput, openChat, signUp, snap } from './support/ui';

const phone = { viewport: devices['Pixel 7'].viewport, hasTouch: true, isMobile: true, userAgent: devices['Pixel 7'].userAgent };

test('the main flows work on a phone, by touch, with separate list and conversation views', async ({ server, browser }, testInfo) => {
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
