/**
 * Notifications where the page may not construct one (Chrome on Android throws "Illegal
 * constructor"; installed web apps on phones): they go through the service worker's
 * `showNotification`, are closed when read on another device, and a click (posted back by the
 * worker) opens the conversation [NOTIFY-12].
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { messageLog, openChat, openConversation, send, signIn, signUp } from './support/ui';

interface Shown {
  title: string;
  body: string;
  tag: string;
  url: string;
  closed: boolean;
}

/** As on Android: no `new Notification()`, permission granted, the worker's notifications recorded. */
async function phoneNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shown: Shown[] = [];
    const w = window as unknown as { __shown: Shown[]; Notification: unknown };
    w.__shown = shown;
    class AndroidNotification {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      constructor() {
        throw new TypeError("Failed to construct 'Notification': Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.");
      }
    }
    w.Notification = AndroidNotification;
    const proto = ServiceWorkerRegistration.prototype as unknown as Record<string, unknown>;
    proto.showNotification = (title: string, options?: { body?: string; tag?: string; data?: { url?: string } }) => {
      shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '', url: options?.data?.url ?? '', closed: false });
      return Promise.resolve();
    };
    proto.getNotifications = (filter?: { tag?: string }) =>
      Promise.resolve(
        shown
          .filter((n) => !n.closed && (!filter?.tag || n.tag === filter.tag))
          .map((n) => ({ tag: n.tag, close: () => void (n.closed = true) })),
      );
  });
}

const shown = (page: Page) => page.evaluate(() => [...(window as unknown as { __shown: Shown[] }).__shown]);

test('[NOTIFY-12] on a phone browser notifications go through the service worker, close when read elsewhere, and a click opens the chat', async ({ server, device }) => {
  const phone = await device('alice-phone', { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await phoneNotifications(phone);
  const laptop = await device('alice-laptop');
  const bob = await device('bob');
  const carol = await device('carol');
  await signUp(phone, server.url, 'alice', 'Alice');
  await signUp(bob, server.url, 'bob', 'Bob');
  await signUp(carol, server.url, 'carol', 'Carol');
  await signIn(laptop, server.url, 'alice');
  // The phone waits until its service worker is in charge, as an installed app's is.
  await phone.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

  await openChat(bob, 'alice', 'Alice');
  await send(bob, 'bob: are you there?');
  await expect.poll(async () => (await shown(phone)).map((n) => n.body)).toEqual(['bob: are you there?']);
  const [first] = await shown(phone);
  // It names this page, so a click brings this page (this profile) forward, not another tab.
  expect(first?.url).toBe(phone.url());

  // Read on the laptop: the phone's notification is withdrawn.
  await openConversation(laptop, 'Bob');
  await expect.poll(async () => (await shown(phone))[0]?.closed).toBe(true);

  // Another one; the worker reports a click on it: the phone opens Carol's chat.
  await openChat(carol, 'alice', 'Alice');
  await send(carol, 'carol: look at this');
  await expect.poll(async () => (await shown(phone)).some((n) => n.body === 'carol: look at this')).toBe(true);
  const carols = (await shown(phone)).find((n) => n.body === 'carol: look at this');
  expect(carols?.tag).not.toBe(first?.tag);
  await phone.evaluate((tag) => {
    navigator.serviceWorker.dispatchEvent(new MessageEvent('message', { data: { type: 'tidings:notification-click', tag } }));
  }, carols?.tag ?? '');
  await expect(phone.getByRole('heading', { name: 'Carol', exact: true })).toBeVisible();
  await expect(messageLog(phone).getByText('carol: look at this')).toBeVisible();

  // One more (the laptop, which has Bob's chat open, is offline so it cannot read it at once),
  // then signing out: nothing of the session stays in the tray.
  await laptop.context().setOffline(true);
  await send(bob, 'bob: one more thing');
  await expect.poll(async () => (await shown(phone)).some((n) => n.body === 'bob: one more thing' && !n.closed)).toBe(true);
  await phone.getByRole('button', { name: 'Back', exact: true }).click();
  await phone.getByRole('button', { name: 'Settings', exact: true }).click();
  await phone.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect.poll(async () => (await shown(phone)).filter((n) => !n.closed)).toEqual([]);
});
