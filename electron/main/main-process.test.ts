/**
 * The main process's wiring, run in plain Node against a stand-in for the `electron` module
 * (the Electron binary cannot be had everywhere the tests run). It checks that index.ts,
 * app-windows.ts and desktop-shell.ts connect the tested decisions to the Electron calls:
 * the window's settings, IPC through the bridge only, a notification click, the badge and tray,
 * permissions and navigation, a second launch, the bundled server for real, and a clean quit.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { httpStatus } from './testing/http-status';
import { Channel } from '../../src/desktop/bridge';

const fake = await vi.hoisted(async () => (await import('./testing/fake-electron')).createFakeElectron());
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

describe('main process wiring (with a stand-in for Electron)', () => {
  const appData = mkdtempSync(join(tmpdir(), 'tidings-main-'));
  fake.state.paths.set('appData', appData);
  afterAll(() => rmSync(appData, { recursive: true, force: true }));

  it('[DESK-21] one secure window; IPC only from it; a notification click focuses it and opens the conversation; badge, tray, permissions, navigation, second launch, bundled server and quit', async () => {
    const { state } = fake;
    await import('./index');
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const win = state.windows[0]!;
    const contents = win.webContents;
    const userData = join(appData, 'Tidings (dev)');
    expect(state.paths.get('userData')).toBe(userData);

    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, session: fake.defaultSession });
    expect(win.visible).toBe(true);
    const appUrl = contents.url;
    expect(appUrl).toMatch(/^file:.*\/renderer\/index\.html$/);

    // IPC: from the window's top frame showing the app page, or not at all.
    const fromApp = { sender: contents, senderFrame: { url: appUrl, parent: null } };
    const stranger = { sender: { id: 999 }, senderFrame: { url: appUrl, parent: null } };
    expect(await state.handle.get(Channel.bundledServer)?.(fromApp)).toBeNull();
    state.on.get(Channel.notify)?.(stranger, { tag: 'c1:3', title: 'Bob', body: 'psst' });
    // The window's own webContents, but showing some other page (say, after a navigation slipped through).
    state.on.get(Channel.notify)?.({ sender: contents, senderFrame: { url: 'https://evil.example/', parent: null } }, { tag: 'c1:3', title: 'Bob', body: 'psst' });
    state.on.get(Channel.notify)?.(fromApp, { tag: 'c1:3', title: 'Bob', body: 'hi', extra: 1 });
    expect(state.notifications).toHaveLength(0);
    state.on.get(Channel.notify)?.(fromApp, { tag: 'c1:3', title: 'Bob', body: 'hi' });
    expect(state.notifications).toHaveLength(1);
    const n = state.notifications[0]!;
    expect(n.shown).toBe(true);

    win.hide();
    n.emit('click');
    expect(win.visible).toBe(true);
    expect(contents.sent).toContainEqual([Channel.notificationClick, { tag: 'c1:3' }]);

    // Badge and tray.
    state.on.get(Channel.setUnread)?.(fromApp, 120);
    expect(state.badge).toBe(120);
    expect(state.tray?.tooltip).toBe('Tidings — 99+ unread messages');
    expect(state.tray?.image?.path).toMatch(/build\/tray-9plus\.png$/);
    expect(existsSync(state.tray!.image!.path)).toBe(true);
    state.on.get(Channel.setUnread)?.(stranger, 5);
    expect(state.badge).toBe(120);

    // Menu: Ctrl/Cmd+K reaches the renderer as a command.
    const flat = (items: unknown[]): { accelerator?: string; click?: () => void; submenu?: unknown[] }[] =>
      (items as { submenu?: unknown[] }[]).flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
    flat(state.menu?.template ?? []).find((i) => i.accelerator === 'CmdOrCtrl+K')?.click?.();
    expect(contents.sent).toContainEqual([Channel.command, 'go-to-conversation']);

    // The menu, tray and badge speak the system's language (en-US here) until the page says
    // which it shows; then they follow it. Another language than ours is refused.
    const labels = () => (state.menu?.template as { label?: string }[]).map((i) => i.label);
    expect(labels()).toEqual(['&File', '&Edit', '&View', '&Window']);
    state.on.get(Channel.setLanguage)?.(fromApp, 'zh-CN');
    expect(labels()).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '窗口(&W)']);
    expect(flat(state.menu?.template ?? []).find((i) => i.accelerator === 'CmdOrCtrl+K')).toMatchObject({ label: '跳转到会话…' });
    expect(state.tray?.tooltip).toBe('Tidings — 99+ 条未读消息');
    expect(state.tray?.menu?.template.map((i) => i.label).filter(Boolean)).toEqual(['99+ 条未读消息', '打开 Tidings', '新聊天', '退出 Tidings']);
    state.on.get(Channel.setLanguage)?.(fromApp, 'fr');
    state.on.get(Channel.setLanguage)?.(stranger, 'en');
    expect(labels()[0]).toBe('文件(&F)');
    state.on.get(Channel.setLanguage)?.(fromApp, 'en');
    expect(labels()[0]).toBe('&File');

    // Permissions and navigation.
    const answers: boolean[] = [];
    fake.defaultSession.request?.(contents, 'notifications', (ok: boolean) => answers.push(ok), { isMainFrame: true, requestingUrl: appUrl });
    fake.defaultSession.request?.(contents, 'media', (ok: boolean) => answers.push(ok), { isMainFrame: true, requestingUrl: appUrl });
    expect(answers).toEqual([true, false]);
    const nav = { url: 'https://example.org/page', ...fake.cancellable() };
    contents.emit('will-frame-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    expect(state.external).toEqual(['https://example.org/page']);
    expect(contents.openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.external).toHaveLength(1);

    // A second launch brings the window back and passes its command.
    win.minimized = true;
    fake.electron.app.emit('second-instance', {}, ['tidings', '--tidings-command=new-chat']);
    expect(win.minimized).toBe(false);
    expect(contents.sent.at(-1)).toEqual([Channel.command, 'new-chat']);

    // The bundled server, chosen on the sign-in screen: real, in the app's data folder.
    const started = (await state.handle.get(Channel.startBundledServer)?.(fromApp)) as { url: string };
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpStatus(`${started.url}/healthz`)).toBe(200);
    const settingsFile = join(userData, 'server', 'bundled-server.json');
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ port: Number(new URL(started.url).port), start: true });
    expect(await state.handle.get(Channel.bundledServer)?.(fromApp)).toEqual(started);
    // Signed out of it (or in elsewhere): the only window lets it go, so it stops and the next
    // launch does not start it. Only the app's window may say so.
    state.on.get(Channel.releaseBundledServer)?.(stranger);
    expect(await httpStatus(`${started.url}/healthz`)).toBe(200);
    state.on.get(Channel.releaseBundledServer)?.(fromApp);
    await vi.waitFor(async () => expect(await state.handle.get(Channel.bundledServer)?.(fromApp)).toBeNull(), { timeout: 10_000 });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8'))).toEqual({ port: Number(new URL(started.url).port), start: false });
    await vi.waitFor(async () => {
      await expect(httpStatus(`${started.url}/healthz`)).rejects.toThrow();
    }, { timeout: 10_000 });
    // Chosen again: the same port.
    expect(await state.handle.get(Channel.startBundledServer)?.(fromApp)).toEqual(started);

    // Closing the window (Linux: the app quits) saves its bounds, stops the server, then quits.
    win.close();
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({ x: 10, y: 20, width: 900, height: 700, maximized: false });
    await vi.waitFor(() => expect(state.quit).toBe(true));
    await vi.waitFor(async () => {
      await expect(httpStatus(`${started.url}/healthz`)).rejects.toThrow();
    }, { timeout: 10_000 });
  });
});
