/**
 * The real preload (electron/preload/index.ts), run in plain Node against a stand-in for what a
 * sandboxed preload gets from `electron`: it exposes exactly the bridge as `window.tidings`,
 * talks only on the bridge's channels, checks what the page sends before it goes and what main
 * sends before the page sees it, and hands the page neither `ipcRenderer` nor an IPC event.
 */
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Channel, desktopApi, type TidingsDesktopApi } from '../../src/desktop/bridge';

const fake = await vi.hoisted(async () => (await import('./testing/fake-preload-electron')).createFakePreloadElectron());
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const argv = process.argv;

/** Loads the preload afresh, as a window started with these switches (main's additionalArguments). */
async function load(switches: string[]): Promise<TidingsDesktopApi> {
  fake.state.exposed.clear();
  process.argv = [...argv, ...switches];
  vi.resetModules();
  await import('./index');
  process.argv = argv;
  expect([...fake.state.exposed.keys()]).toEqual(['tidings']);
  return fake.state.exposed.get('tidings') as TidingsDesktopApi;
}

const API_KEYS = [
  'desktop',
  'platform',
  'serverUrl',
  'profile',
  'demoAccount',
  'notify',
  'closeNotification',
  'onNotificationClick',
  'setUnread',
  'setLanguage',
  'onCommand',
  'bundledServer',
  'startBundledServer',
  'releaseBundledServer',
];

describe('the preload', () => {
  beforeEach(() => {
    fake.state.sent.length = 0;
    fake.state.invoked.length = 0;
    fake.state.answers.clear();
  });
  afterAll(() => {
    process.argv = argv;
    delete (globalThis as { tidings?: unknown }).tidings;
  });

  it('[DESK-3] exposes exactly the bridge as window.tidings, with the window’s switches parsed', async () => {
    const api = await load(['--tidings-server-url=http://127.0.0.1:4000/ignored/path', '--tidings-profile=alice-phone', '--tidings-demo-account=alice']);
    expect(Object.keys(api).sort()).toEqual([...API_KEYS].sort());
    expect(api).toMatchObject({ desktop: true, serverUrl: 'http://127.0.0.1:4000', profile: 'alice-phone', demoAccount: 'alice' });
    expect(['linux', 'darwin', 'win32']).toContain(api.platform);
    // What the renderer checks before it trusts window.tidings.
    (globalThis as { tidings?: unknown }).tidings = api;
    expect(desktopApi()).toBe(api);
    // Nothing of Electron's own on it.
    expect(Object.values(api)).not.toContain(fake.electron.ipcRenderer);

    // A hostile or mistyped switch becomes nothing, never a navigation target or a partition.
    const plain = await load(['--tidings-server-url=javascript:alert(1)', '--tidings-profile=../../etc', '--tidings-demo-account=Bad Name']);
    expect(plain).toMatchObject({ serverUrl: null, profile: null, demoAccount: null });
  });

  it('[DESK-3] what the page sends is checked before it goes, on the bridge’s channels only', async () => {
    const api = await load([]);
    api.notify({ tag: 'c1:3', title: 'Bob', body: 'hi' });
    api.closeNotification('c1:3');
    api.setUnread(7);
    api.setLanguage('zh-CN');
    api.releaseBundledServer();
    expect(fake.state.sent).toEqual([
      [Channel.notify, [{ tag: 'c1:3', title: 'Bob', body: 'hi' }]],
      [Channel.closeNotification, ['c1:3']],
      [Channel.setUnread, [7]],
      [Channel.setLanguage, ['zh-CN']],
      [Channel.releaseBundledServer, []],
    ]);

    // A bug in the page throws where it was made; nothing is sent.
    const bad: [string, () => void][] = [
      ['extra key', () => api.notify({ tag: 'c', title: 'Bob', body: 'hi', icon: '/etc/passwd' } as never)],
      ['oversize', () => api.notify({ tag: 'c', title: 'Bob', body: 'x'.repeat(5_000) })],
      ['empty tag', () => api.closeNotification('')],
      ['negative', () => api.setUnread(-1)],
      ['fraction', () => api.setUnread(1.5)],
      ['language', () => api.setLanguage('fr' as never)],
    ];
    for (const [what, call] of bad) expect(call, what).toThrow();
    expect(fake.state.sent).toHaveLength(5);

    const channels = new Set<string>(Object.values(Channel));
    for (const [channel] of [...fake.state.sent, ...fake.state.invoked]) expect(channels.has(channel)).toBe(true);
  });

  it('[DESK-3] main’s answers are checked before the page sees them', async () => {
    const api = await load([]);
    fake.state.answers.set(Channel.bundledServer, null);
    expect(await api.bundledServer()).toBeNull();
    fake.state.answers.set(Channel.bundledServer, { url: 'http://127.0.0.1:41234' });
    expect(await api.bundledServer()).toEqual({ url: 'http://127.0.0.1:41234' });
    fake.state.answers.set(Channel.startBundledServer, { url: 'http://127.0.0.1:41234' });
    expect(await api.startBundledServer()).toEqual({ url: 'http://127.0.0.1:41234' });
    expect(fake.state.invoked).toEqual([
      [Channel.bundledServer, []],
      [Channel.bundledServer, []],
      [Channel.startBundledServer, []],
    ]);
    // Only a loopback http address is a bundled server.
    fake.state.answers.set(Channel.bundledServer, { url: 'http://evil.example:80' });
    await expect(api.bundledServer()).rejects.toThrow();
    fake.state.answers.set(Channel.startBundledServer, null);
    await expect(api.startBundledServer()).rejects.toThrow();
  });

  it('[DESK-3] listeners get the parsed payload only, never the IPC event; bad payloads are dropped; unsubscribing removes them', async () => {
    const api = await load([]);
    const clicks: unknown[][] = [];
    const commands: unknown[][] = [];
    const stopClicks = api.onNotificationClick((...args) => clicks.push(args));
    const stopCommands = api.onCommand((...args) => commands.push(args));
    expect(fake.listenerCount(Channel.notificationClick)).toBe(1);
    expect(fake.listenerCount(Channel.command)).toBe(1);

    fake.emit(Channel.notificationClick, { tag: 'c1:3' });
    fake.emit(Channel.notificationClick, { tag: 'c1:3', extra: true });
    fake.emit(Channel.notificationClick, 'c1:3');
    fake.emit(Channel.command, 'search');
    fake.emit(Channel.command, 'quit');
    expect(clicks).toEqual([['c1:3']]);
    expect(commands).toEqual([['search']]);
    expect(JSON.stringify([clicks, commands])).not.toContain('sender');

    stopClicks();
    stopCommands();
    expect(fake.listenerCount(Channel.notificationClick)).toBe(0);
    expect(fake.listenerCount(Channel.command)).toBe(0);
    fake.emit(Channel.notificationClick, { tag: 'c1:4' });
    fake.emit(Channel.command, 'new-chat');
    expect(clicks).toHaveLength(1);
    expect(commands).toHaveLength(1);
    // Only main → renderer channels of the bridge are listened to.
    expect([...fake.state.listeners.keys()].sort()).toEqual([Channel.command, Channel.notificationClick].sort());
  });
});
