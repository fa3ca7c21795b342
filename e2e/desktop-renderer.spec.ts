/**
 * The renderer's half of the desktop app, with `window.tidings` as the preload would expose it
 * (a stand-in recording every call, since the Electron binary cannot run here): the sign-in
 * screen offers "This computer" and starts the bundled server, notifications go to the native
 * bridge and close through it, the unread total reaches the badge, and the menu's commands work.
 * Ctrl/Cmd+K opens `Go to conversation` in a browser too.
 */
import type { Page } from '@playwright/test';
import { startDemoProcess } from './support/demo';
import { expect, test } from './support/fixtures';
import { conversationItem, expectConnected, message, messageInput, openChat, send, signUp } from './support/ui';

interface BridgeLog {
  calls: [string, unknown][];
}

interface WindowArguments {
  serverUrl: string | null;
  profile: string | null;
  demoAccount: string | null;
}

/** Installs the stand-in bridge; `bundledUrl` is what "the bundled server" answers; `args` what main passed the window. */
async function desktopBridge(page: Page, bundledUrl: string, args: WindowArguments = { serverUrl: null, profile: null, demoAccount: null }): Promise<void> {
  await page.addInitScript(({ url, args }: { url: string; args: WindowArguments }) => {
    const log: [string, unknown][] = [];
    const w = window as unknown as { __bridge: { calls: typeof log }; __click?: (tag: string) => void; __command?: (c: string) => void; __running?: boolean };
    w.__bridge = { calls: log };
    (window as unknown as { tidings: unknown }).tidings = {
      desktop: true,
      platform: 'linux',
      ...args,
      notify: (n: unknown) => log.push(['notify', n]),
      closeNotification: (tag: string) => log.push(['close', tag]),
      onNotificationClick: (cb: (tag: string) => void) => {
        w.__click = cb;
        return () => {};
      },
      setUnread: (n: number) => log.push(['unread', n]),
      setLanguage: (language: string) => log.push(['language', language]),
      onCommand: (cb: (c: string) => void) => {
        w.__command = cb;
        return () => {};
      },
      bundledServer: async () => (w.__running || sessionStorage.getItem('bundled') ? { url } : null),
      startBundledServer: async () => {
        log.push(['startBundledServer', null]);
        w.__running = true;
        sessionStorage.setItem('bundled', '1');
        return { url };
      },
      releaseBundledServer: () => log.push(['releaseBundledServer', null]),
    };
  }, { url: bundledUrl, args });
}

const calls = (page: Page) => page.evaluate(() => (window as unknown as { __bridge: BridgeLog }).__bridge.calls);

test('desktop: sign in on this computer’s server; native notifications, badge and menu commands go through the bridge', async ({ server, device }) => {
  const page = await device('alice-desktop');
  await desktopBridge(page, server.url);
  await page.goto(server.url);
  // The sign-in screen offers where messages are kept; "This computer" starts the bundled server.
  await page.getByRole('radio', { name: 'This computer' }).check();
  await expect(page.getByLabel('Server', { exact: true })).toBeDisabled();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByLabel('Display name').fill('Alice');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectConnected(page);
  expect((await calls(page)).some(([c]) => c === 'startBundledServer')).toBe(true);
  // No web permission prompt in the desktop app.
  await expect(page.getByRole('region', { name: 'Desktop notifications' })).toHaveCount(0);
  // Signed in to the bundled server: the local store is named by it, not by its port.
  const stores = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  expect(stores.some((n) => n?.startsWith('tidings:bundled:'))).toBe(true);

  const bob = await device('bob');
  await signUp(bob, server.url, 'bob', 'Bob');
  await openChat(bob, 'alice', 'Alice');
  await send(bob, 'hello desktop');
  // A native notification through the bridge, and the badge total.
  await expect.poll(async () => (await calls(page)).find(([c, n]) => c === 'notify' && (n as { body: string }).body === 'hello desktop')).toBeTruthy();
  await expect.poll(async () => (await calls(page)).filter(([c]) => c === 'unread').at(-1)?.[1]).toBe(1);
  const tag = ((await calls(page)).find(([c]) => c === 'notify')?.[1] as { tag: string }).tag;
  // Clicking it opens the conversation, which reads it: the notification closes, the badge is 0.
  await page.evaluate((t) => (window as unknown as { __click: (tag: string) => void }).__click(t), tag);
  await expect(message(page, 'hello desktop')).toBeVisible();
  await expect.poll(async () => (await calls(page)).some(([c, t]) => c === 'close' && t === tag)).toBe(true);
  await expect.poll(async () => (await calls(page)).filter(([c]) => c === 'unread').at(-1)?.[1]).toBe(0);

  // Menu commands: New chat, search, go to conversation.
  await page.evaluate(() => (window as unknown as { __command: (c: string) => void }).__command('new-chat'));
  await expect(page.getByRole('dialog', { name: 'New chat' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.evaluate(() => (window as unknown as { __command: (c: string) => void }).__command('search'));
  await expect(page.getByLabel('Search messages')).toBeFocused();

  // Signed in there, the window keeps the bundled server; signing out lets it go, so main stops
  // it and no longer starts it with the app.
  const lastSay = async () => (await calls(page)).filter(([c]) => c === 'startBundledServer' || c === 'releaseBundledServer').at(-1)?.[0];
  expect(await lastSay()).toBe('startBundledServer');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect.poll(lastSay).toBe('releaseBundledServer');
});

test('Ctrl+K jumps to a conversation by name', async ({ server, device }) => {
  const page = await device('carol');
  await signUp(page, server.url, 'carol', 'Carol');
  for (const [name, display] of [
    ['dave', 'Dave'],
    ['erin', 'Erin'],
  ] as const) {
    const other = await device(name);
    await signUp(other, server.url, name, display);
  }
  await openChat(page, 'dave', 'Dave');
  await openChat(page, 'erin', 'Erin');
  await messageInput(page).click();
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Go to conversation' });
  await expect(dialog).toBeVisible();
  await page.keyboard.type('dav');
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Dave', exact: true })).toBeVisible();
  await expect(conversationItem(page, 'Dave')).toBeVisible();
});

test('[DEMO-2] a desktop demo window signs itself in to the demo’s server; another server leaves the sign-in screen alone', async ({ server, device }) => {
  const demo = await startDemoProcess();
  try {
    // As main opens `npm run demo`'s windows: the demo's server, a profile, a demo account.
    const page = await device('alice-desktop');
    await desktopBridge(page, demo.url, { serverUrl: demo.url, profile: 'alice-desktop', demoAccount: 'alice' });
    await page.goto(demo.url);
    await expectConnected(page, 30_000);
    await expect(page.getByText('@alice', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const devices = page.getByRole('dialog', { name: 'Settings' }).getByRole('list', { name: 'Devices' });
    await expect(devices.getByRole('listitem').filter({ hasText: 'This device' })).toContainText('alice-desktop');
  } finally {
    await demo.stop();
  }

  // The same window arguments with a server that is not the demo's: nothing happens by itself.
  const other = await device('not-a-demo');
  await desktopBridge(other, server.url, { serverUrl: server.url, profile: 'alice-desktop', demoAccount: 'alice' });
  const asked = other.waitForResponse((r) => new URL(r.url()).pathname === '/api/demo');
  await other.goto(server.url);
  expect((await asked).status()).toBe(404);
  // The attempt is over (the buttons are busy while it runs) and nobody was signed in.
  await expect(other.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await expect(other.getByRole('button', { name: 'New chat' })).toHaveCount(0);
  await expect(other.getByLabel('Username')).toHaveValue('');
  await expect(other.getByRole('alert')).toHaveCount(0);
});
