/**
 * Conversation settings, do not disturb and devices, as a person uses them: pinning on one
 * device shows on the other, a muted conversation raises no notification while an unmuted one
 * does, `Mentions only` notifies for a mention, do not disturb silences all, a notification read
 * on another device is withdrawn, and a device signed out from another lands on the sign-in
 * screen with its local store gone.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { createAccount, createSession, ApiDevice } from './support/api';
import { notifications, permissionRequests, recordNotifications } from './support/notifications';
import { conversationItem, createGroup, expectConnected, message, messageInput, openChat, openConversation, openSettings, send, signIn, signUp, snap } from './support/ui';

async function openAppSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** Messages with these texts were notified (as body, or after "Name: " in a group). */
async function notifiedTexts(page: Page): Promise<string[]> {
  return (await notifications(page)).map((n) => n.body);
}

test('[NOTIFY-10] pinned and muted follow the user to every device; notifications and the title total follow the settings', async ({ server, device }, testInfo) => {
  const laptop = await device('alice-laptop');
  const phone = await device('alice-phone');
  await recordNotifications(laptop);
  const bob = await device('bob');
  const carol = await device('carol');
  await signUp(laptop, server.url, 'alice', 'Alice');
  await signUp(bob, server.url, 'bob', 'Bob');
  await signUp(carol, server.url, 'carol', 'Carol');
  await openChat(bob, 'alice', 'Alice');
  await send(bob, 'bob: first');
  await openChat(carol, 'alice', 'Alice');
  await send(carol, 'carol: first');
  await signIn(phone, server.url, 'alice');

  // Pin Bob and mute Carol on the laptop: the phone shows both.
  await openConversation(laptop, 'Bob');
  let settings = await openSettings(laptop);
  await settings.getByRole('checkbox', { name: 'Pin conversation' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await openConversation(laptop, 'Carol');
  settings = await openSettings(laptop);
  await settings.getByRole('radiogroup', { name: 'Notifications' }).getByRole('radio', { name: 'Muted' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await expect(conversationItem(phone, 'Bob')).toContainText('Pinned');
  await expect(conversationItem(phone, 'Carol')).toContainText('Muted');
  // Pinned sorts first even though Carol wrote last.
  await expect(phone.getByRole('list', { name: 'Conversations' }).getByRole('listitem').first()).toHaveAccessibleName(/^Bob/);
  await snap(phone, testInfo, '01-phone-pinned-muted');

  // Nothing open on the laptop: Carol's (muted) message raises nothing, Bob's does.
  await laptop.evaluate(() => localStorage.removeItem('tidings.openConversation'));
  await laptop.reload();
  await expect(laptop.getByRole('button', { name: 'New chat' })).toBeVisible();
  await send(carol, 'carol: muted news');
  await send(bob, 'bob: loud news');
  await send(bob, 'bob: more news');
  await expect.poll(() => notifiedTexts(laptop)).toContain('bob: more news');
  expect(await notifiedTexts(laptop)).toContain('bob: loud news');
  expect(await notifiedTexts(laptop)).not.toContain('carol: muted news');
  // Muted still counts unread, but not in the title: Bob's 2, not Carol's 1.
  await expect(conversationItem(laptop, 'Carol')).toContainText('1 unread');
  await expect(conversationItem(laptop, 'Bob')).toContainText('2 unread');
  await expect(laptop).toHaveTitle('(2) Tidings');

  // Read on the phone: the laptop's notification is withdrawn.
  await openConversation(phone, 'Bob');
  await expect.poll(async () => (await notifications(laptop)).find((n) => n.body === 'bob: loud news')?.closed).toBe(true);

  // Do not disturb (set on the phone) silences the laptop too.
  const phoneSettings = await openAppSettings(phone);
  await phoneSettings.getByRole('checkbox', { name: 'Do not disturb' }).check();
  await snap(phone, testInfo, '02-settings');
  await phoneSettings.getByRole('button', { name: 'Close' }).click();
  await expect.poll(async () => (await openAppSettings(laptop)).getByRole('checkbox', { name: 'Do not disturb' }).isChecked()).toBe(true);
  await laptop.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
  await send(bob, 'bob: during dnd');
  await expect(conversationItem(laptop, 'Bob')).toContainText('bob: during dnd');
  await laptop.waitForTimeout(500);
  expect(await notifiedTexts(laptop)).not.toContain('bob: during dnd');
});

test('[NOTIFY-9] the app asks once, in its own words with the reason, before the browser does', async ({ server, device }, testInfo) => {
  const yes = await device('ivy');
  await recordNotifications(yes, { permission: 'default', answer: 'granted' });
  const later = await device('jon');
  await recordNotifications(later, { permission: 'default', answer: 'granted' });
  await signUp(yes, server.url, 'ivy', 'Ivy');
  await signUp(later, server.url, 'jon', 'Jon');

  const prompt = (page: Page) => page.getByRole('region', { name: 'Desktop notifications' });
  await expect(prompt(yes)).toContainText('Get a notification when a message arrives while Tidings is in the background.');
  await expect(prompt(yes).getByRole('button', { name: 'Turn on notifications' })).toBeVisible();
  await expect(prompt(yes).getByRole('button', { name: 'Not now' })).toBeVisible();
  // Its own words first: the browser's prompt has not been raised by merely opening the app.
  expect(await permissionRequests(yes)).toBe(0);
  await snap(yes, testInfo, '12-permission-prompt');

  await prompt(yes).getByRole('button', { name: 'Turn on notifications' }).click();
  await expect(prompt(yes)).toHaveCount(0);
  expect(await permissionRequests(yes)).toBe(1);
  await prompt(later).getByRole('button', { name: 'Not now' }).click();
  await expect(prompt(later)).toHaveCount(0);
  expect(await permissionRequests(later)).toBe(0);

  // Neither comes back: Jon's browser still has not been asked, so that is the app remembering.
  for (const page of [yes, later]) {
    await page.reload();
    await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
    await expectConnected(page);
    await expect(prompt(page)).toHaveCount(0);
    expect(await permissionRequests(page)).toBe(0);
  }
  // Turned on means notified.
  await openChat(later, 'ivy', 'Ivy');
  await send(later, 'jon: can you hear me?');
  await expect.poll(() => notifiedTexts(yes)).toEqual(['jon: can you hear me?']);
});

test('[NOTIFY-11] Settings says what is true of notifications on this device, and what to do', async ({ server, device }, testInfo) => {
  const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
  const dndHint = 'Silences notifications on all your devices. Messages and unread counts still arrive.';
  // Never asked: it says so, and asks from there.
  const asked = await device('kim', phone);
  await recordNotifications(asked, { permission: 'default', answer: 'granted' });
  await signUp(asked, server.url, 'kim', 'Kim');
  let dialog = await openAppSettings(asked);
  await expect(dialog).toContainText(dndHint);
  await expect(dialog).not.toContainText('desktop');
  await expect(dialog).toContainText('This device shows no notifications yet.');
  await snap(asked, testInfo, '13-phone-not-asked');
  await dialog.getByRole('button', { name: 'Turn on notifications' }).click();
  await expect(dialog).not.toContainText('This device shows no notifications yet.');
  expect(await permissionRequests(asked)).toBe(1);

  // Refused in the browser: where to allow them.
  const blocked = await device('lee', phone);
  await recordNotifications(blocked, { permission: 'denied', answer: 'denied' });
  await signUp(blocked, server.url, 'lee', 'Lee');
  dialog = await openAppSettings(blocked);
  await expect(dialog).toContainText('This browser blocks notifications from Tidings. To get them here, allow notifications for this site in the browser’s settings.');

  // A browser without notifications at all (iOS Safari outside the Home Screen).
  const none = await device('max', phone);
  await none.addInitScript(() => {
    delete (window as unknown as { Notification?: unknown }).Notification;
  });
  await signUp(none, server.url, 'max', 'Max');
  dialog = await openAppSettings(none);
  await expect(dialog).toContainText('This browser cannot show notifications. On iPhone or iPad, add Tidings to the Home Screen and open it from there to get them.');
  await snap(none, testInfo, '14-phone-no-notifications');
});

test('[NOTIFY-2] back after being away: one summary, nothing read elsewhere, muted chats left out', async ({ server, device }, testInfo) => {
  const laptop = await device('kim-laptop');
  await recordNotifications(laptop);
  await signUp(laptop, server.url, 'kim', 'Kim');
  const phone = await ApiDevice.connect(server.url, (await createSession(server.url, 'kim')).token);
  const friend = async (username: string, displayName: string) => {
    const d = await ApiDevice.connect(server.url, (await createAccount(server.url, username, displayName)).token);
    return { d, conversationId: await d.openDirect('kim') };
  };
  const [lee, max, ned, oli] = [await friend('lee', 'Lee'), await friend('max', 'Max'), await friend('ned', 'Ned'), await friend('oli', 'Oli')];
  await phone.request({ type: 'conversationSettings', conversationId: ned.conversationId, notify: 'muted' });
  await expect(conversationItem(laptop, 'Ned')).toContainText('Muted');
  await expect(conversationItem(laptop, 'Oli')).toBeVisible();

  // The laptop is closed; the others write; Oli's messages are read on the phone meanwhile.
  await laptop.goto('about:blank');
  await lee.d.send(lee.conversationId, 'lee: are you coming?');
  await lee.d.send(lee.conversationId, 'lee: we are at the door');
  await ned.d.send(ned.conversationId, 'ned: muted one');
  await ned.d.send(ned.conversationId, 'ned: muted two');
  await oli.d.send(oli.conversationId, 'oli: read elsewhere');
  const oliLast = await oli.d.send(oli.conversationId, 'oli: also read');
  await phone.request({ type: 'read', conversationId: oli.conversationId, seq: oliLast });
  await max.d.send(max.conversationId, 'max: bring the cake');
  for (const d of [phone, lee.d, max.d, ned.d, oli.d]) d.close();

  await laptop.goto(server.url);
  await expectConnected(laptop);
  await expect(conversationItem(laptop, 'Max')).toContainText('1 unread');
  await expect.poll(() => notifications(laptop)).toHaveLength(1);
  expect(await notifications(laptop)).toEqual([{ title: '3 new messages', body: 'In Lee, Max', tag: 'tidings-catch-up', closed: false }]);
  // The title counts what the summary does: Lee's 2 and Max's 1; Ned is muted, Oli was read.
  await expect(conversationItem(laptop, 'Ned')).toContainText('2 unread');
  await expect(conversationItem(laptop, 'Oli')).not.toContainText('unread');
  await expect(laptop).toHaveTitle('(3) Tidings');
  await snap(laptop, testInfo, '13-after-catch-up');
  expect(await notifications(laptop)).toHaveLength(1);
});

test('Mentions only notifies for an @mention; the picker completes names', async ({ server, device }, testInfo) => {
  const alice = await device('alice');
  await recordNotifications(alice);
  const bob = await device('bob');
  // Bob's machine is busy: frames come late. Keys typed right after a pick still go in order.
  await bob.addInitScript(() => {
    window.requestAnimationFrame = (run) => window.setTimeout(() => run(performance.now()), 100);
  });
  await signUp(alice, server.url, 'alice', 'Alice');
  await signUp(bob, server.url, 'bob', 'Bob');
  await createGroup(bob, 'Planning', 'alice');
  await openConversation(alice, 'Planning');
  const settings = await openSettings(alice);
  await settings.getByRole('radio', { name: 'Mentions only' }).check();
  await settings.getByRole('button', { name: 'Close' }).click();
  await alice.evaluate(() => localStorage.removeItem('tidings.openConversation'));
  await alice.reload();
  await expect(alice.getByRole('button', { name: 'New chat' })).toBeVisible();

  await send(bob, 'no mention here');
  // Bob types @al and picks Alice from the list.
  await messageInput(bob).pressSequentially('see you @al', { delay: 20 });
  const picker = bob.getByRole('listbox', { name: 'Mention someone' });
  await expect(picker.getByRole('option', { name: /Alice/ })).toBeVisible();
  await snap(bob, testInfo, '03-picker');
  await messageInput(bob).press('Enter');
  await expect(messageInput(bob)).toHaveValue('see you @alice ');
  await messageInput(bob).pressSequentially('at noon');
  await messageInput(bob).press('Enter');
  await expect(message(bob, 'see you @alice at noon')).toContainText(/Sent|Read/);
  await expect(message(bob, 'see you @alice at noon').locator('.mention')).toHaveText('@alice');

  await expect.poll(() => notifiedTexts(alice)).toContain('Bob: see you @alice at noon');
  expect(await notifiedTexts(alice)).not.toContain('Bob: no mention here');

  // The owner is offered everyone by its words too; their own @all is not marked as news to them.
  await messageInput(bob).pressSequentially('@ev', { delay: 20 });
  await expect(picker.getByRole('option')).toHaveText([/Everyone in this group/]);
  await messageInput(bob).press('Enter');
  await expect(messageInput(bob)).toHaveValue('@all ');
  await messageInput(bob).pressSequentially('standup in 5');
  await messageInput(bob).press('Enter');
  await expect(message(bob, '@all standup in 5')).toContainText(/Sent|Read/);
  await expect(message(bob, '@all standup in 5')).not.toContainText('Mentions you');

  // Alice's list says she was mentioned; the conversation opens with a line above what was unread.
  const planning = conversationItem(alice, 'Planning');
  await expect(planning).toContainText('You were mentioned');
  await expect(planning).toContainText('3 unread');
  await snap(alice, testInfo, '08-list-mentioned');
  await openConversation(alice, 'Planning');
  const line = alice.getByRole('separator').filter({ hasText: 'Unread messages' });
  await expect(line).toBeVisible();
  expect(await line.evaluate((el) => el.nextElementSibling?.textContent ?? '')).toContain('no mention here');
  await expect(message(alice, 'see you @alice at noon')).toContainText('Mentions you');
  await expect(message(alice, '@all standup in 5')).toContainText('Mentions you');
  await snap(alice, testInfo, '09-unread-line');
  await expect(planning).not.toContainText('You were mentioned');
});

test('Settings lists the devices; signing one out from another sends it to sign-in with its store gone', async ({ server, device }, testInfo) => {
  const laptop = await device('dora-laptop');
  const phone = await device('dora-phone');
  const eve = await device('eve');
  await signUp(laptop, server.url, 'dora', 'Dora');
  await signUp(eve, server.url, 'eve', 'Eve');
  await signIn(phone, server.url, 'dora');
  await openChat(eve, 'dora', 'Dora');
  await send(eve, 'a secret for dora');
  await openConversation(phone, 'Eve');
  await expect(message(phone, 'a secret for dora')).toBeVisible();

  const dialog = await openAppSettings(laptop);
  const devices = dialog.getByRole('list', { name: 'Devices' });
  await expect(devices.getByRole('listitem')).toHaveCount(2);
  await expect(devices.getByRole('listitem').filter({ hasText: 'This device' })).toHaveCount(1);
  // [DEV-8] Each says when it signed in, besides when it was last active.
  await expect(devices.getByRole('listitem').filter({ hasText: /Signed in \w{3} \d{1,2}, \d{1,2}:\d{2}/ })).toHaveCount(2);
  // Both are "Chrome on Linux": the phone is renamed from the laptop, and tells which is which.
  const other = devices.getByRole('listitem').filter({ hasNotText: 'This device' });
  await other.getByRole('button', { name: 'Rename device' }).click();
  await other.getByLabel('Device name').fill('Dora’s phone');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other).toContainText('Dora’s phone');
  await snap(laptop, testInfo, '04-devices');
  await other.getByRole('button', { name: 'Sign out device' }).click();
  await expect(other).toContainText('Sign out Dora’s phone?');
  await other.getByRole('button', { name: 'Yes, sign it out' }).click();
  await expect(devices.getByRole('listitem')).toHaveCount(1);

  // The phone is told at once: sign-in screen, and nothing of Dora's left on it.
  await expect(phone.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 10_000 });
  await expect(phone.getByRole('status').filter({ hasText: 'This device was signed out.' })).toBeVisible();
  const left = await phone.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('tidings:')));
  expect(left).toEqual([]);
  await snap(phone, testInfo, '05-phone-signed-out');

  // The theme is this device's own choice, kept across reloads.
  await dialog.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'Dark' }).check();
  await expect(laptop.locator('html')).toHaveAttribute('data-theme', 'dark');
  await laptop.reload();
  await expect(laptop.locator('html')).toHaveAttribute('data-theme', 'dark');
  await snap(laptop, testInfo, '06-dark');
});

test('the language is a per-device choice: 简体中文 turns every screen Chinese, dates included, and English comes back', async ({ server, device }, testInfo) => {
  const page = await device('fay');
  await signUp(page, server.url, 'fay', 'Fay');
  const dialog = await openAppSettings(page);
  await dialog.getByLabel('Language').selectOption('zh-CN');
  const zh = page.getByRole('dialog', { name: '设置' });
  await expect(zh).toBeVisible();
  await expect(zh.getByRole('checkbox', { name: '勿扰模式' })).toBeVisible();
  // [DEV-8] The generated device name is said in Chinese too.
  await expect(zh.getByRole('list', { name: '设备' }).getByRole('listitem')).toContainText('Linux 上的 Chrome');
  await expect(zh.getByRole('list', { name: '设备' }).getByRole('listitem')).toContainText('登录于');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await zh.getByRole('button', { name: '关闭' }).click();
  await expect(page.getByRole('button', { name: '新聊天' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '已连接' })).toBeVisible();
  await snap(page, testInfo, '07-chinese');
  // Kept across a reload on this device; another device of the same account stays English.
  await page.reload();
  await expect(page.getByRole('button', { name: '新聊天' })).toBeVisible();
  const other = await device('fay-2');
  await signIn(other, server.url, 'fay');
  await expect(other.getByRole('button', { name: 'New chat' })).toBeVisible();
  await page.getByRole('button', { name: '设置' }).click();
  await page.getByRole('dialog', { name: '设置' }).getByLabel('语言').selectOption('en');
  await expect(page.getByRole('button', { name: 'New chat' })).toBeVisible();
});


test('a new display name shows at once for the people one chats with and on one’s other devices', async ({ server, device }, testInfo) => {
  const laptop = await device('gil-laptop');
  const phone = await device('gil-phone');
  const hana = await device('hana');
  await signUp(laptop, server.url, 'gil', 'Gil');
  await signUp(hana, server.url, 'hana', 'Hana');
  await openChat(hana, 'gil', 'Gil');
  await send(hana, 'hi Gil');
  await signIn(phone, server.url, 'gil');

  const dialog = await openAppSettings(laptop);
  await dialog.getByLabel('Display name').fill('Gil Galad');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(dialog).toContainText('Gil Galad · @gil');
  await snap(laptop, testInfo, '10-display-name');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Hana's list and open conversation, and Gil's phone, follow without a reload.
  await expect(conversationItem(hana, 'Gil Galad')).toBeVisible();
  await expect(hana.getByRole('heading', { name: 'Gil Galad' })).toBeVisible();
  await expect(phone.getByText('Gil Galad', { exact: true })).toBeVisible();
  await snap(hana, testInfo, '11-peer-sees-new-name');
});
