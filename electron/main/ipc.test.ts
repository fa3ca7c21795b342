import { describe, expect, it } from 'vitest';
import { Channel } from '../../src/desktop/bridge';
import { registerIpc, type DesktopHandlers, type IpcEventLike, type IpcMainLike } from './ipc';

const APP = 'file:///opt/Tidings/resources/app.asar/out/renderer/index.html';

function setup() {
  const on = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
  const handle = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = {
    on: (channel, listener) => on.set(channel, listener),
    handle: (channel, listener) => handle.set(channel, listener),
  };
  const calls: unknown[][] = [];
  const refused: string[] = [];
  const handlers: DesktopHandlers = {
    notify: (r) => calls.push(['notify', r]),
    closeNotification: (t) => calls.push(['close', t]),
    setUnread: (n) => calls.push(['unread', n]),
    setLanguage: (l) => calls.push(['language', l]),
    bundledServer: async () => ({ url: 'http://127.0.0.1:4000' }),
    startBundledServer: async (sender) => {
      calls.push(['start', sender]);
      return { url: 'http://127.0.0.1:4000' };
    },
    releaseBundledServer: (sender) => calls.push(['release', sender]),
  };
  const ours = { id: 1 };
  registerIpc(ipc, { isAppWindow: (s) => s === ours, isAppUrl: (u) => u === APP }, handlers, (c, why) => refused.push(`${c} ${why}`));
  const fromApp: IpcEventLike = { sender: ours, senderFrame: { url: APP, parent: null } };
  return { on, handle, calls, refused, fromApp, ours };
}

describe('IPC validation in main', () => {
  it('[DESK-10] only the bridge channels are listened to, and valid messages from the app window reach their handlers', async () => {
    const t = setup();
    expect([...t.on.keys()].sort()).toEqual([Channel.closeNotification, Channel.notify, Channel.setUnread, Channel.setLanguage, Channel.releaseBundledServer].sort());
    expect([...t.handle.keys()].sort()).toEqual([Channel.bundledServer, Channel.startBundledServer].sort());
    t.on.get(Channel.notify)?.(t.fromApp, { tag: 'c:1', title: 'Bob', body: 'hi' });
    t.on.get(Channel.setUnread)?.(t.fromApp, 7);
    t.on.get(Channel.closeNotification)?.(t.fromApp, 'c:1');
    t.on.get(Channel.setLanguage)?.(t.fromApp, 'zh-CN');
    expect(t.calls).toEqual([['notify', { tag: 'c:1', title: 'Bob', body: 'hi' }], ['unread', 7], ['close', 'c:1'], ['language', 'zh-CN']]);
    await expect(Promise.resolve(t.handle.get(Channel.bundledServer)?.(t.fromApp))).resolves.toEqual({ url: 'http://127.0.0.1:4000' });
    // The bundled server learns which window uses it and which lets it go.
    await t.handle.get(Channel.startBundledServer)?.(t.fromApp);
    t.on.get(Channel.releaseBundledServer)?.(t.fromApp);
    expect(t.calls.slice(4)).toEqual([['start', t.ours], ['release', t.ours]]);
    expect(t.refused).toEqual([]);
  });

  it('[DESK-10] malformed payloads and extra arguments are dropped (send) or refused (invoke)', async () => {
    const t = setup();
    t.on.get(Channel.notify)?.(t.fromApp, { tag: 'c:1', title: 'Bob', body: 'hi', icon: '/etc/passwd' });
    t.on.get(Channel.notify)?.(t.fromApp);
    t.on.get(Channel.setUnread)?.(t.fromApp, -1);
    t.on.get(Channel.setUnread)?.(t.fromApp, 3, 'extra');
    t.on.get(Channel.closeNotification)?.(t.fromApp, { tag: 'c:1' });
    t.on.get(Channel.releaseBundledServer)?.(t.fromApp, 'everyone');
    t.on.get(Channel.setLanguage)?.(t.fromApp, 'fr');
    t.on.get(Channel.setLanguage)?.(t.fromApp, { language: 'zh-CN' });
    await expect(Promise.resolve().then(() => t.handle.get(Channel.startBundledServer)?.(t.fromApp, { port: 22 }))).rejects.toThrow('bad request');
    expect(t.calls).toEqual([]);
    expect(t.refused).toHaveLength(9);
    expect(t.refused.every((r) => r.endsWith('payload'))).toBe(true);
  });

  it('[DESK-10] messages from another webContents, a sub-frame or a page that is not the app are refused', async () => {
    const t = setup();
    const valid = { tag: 'c:1', title: 'Bob', body: 'hi' };
    t.on.get(Channel.notify)?.({ sender: { id: 2 }, senderFrame: { url: APP, parent: null } }, valid);
    t.on.get(Channel.notify)?.({ sender: t.ours, senderFrame: { url: APP, parent: {} } }, valid);
    t.on.get(Channel.notify)?.({ sender: t.ours, senderFrame: { url: 'https://evil.example/', parent: null } }, valid);
    t.on.get(Channel.notify)?.({ sender: t.ours, senderFrame: null }, valid);
    await expect(Promise.resolve().then(() => t.handle.get(Channel.startBundledServer)?.({ sender: { id: 2 }, senderFrame: { url: APP, parent: null } }))).rejects.toThrow('refused');
    expect(t.calls).toEqual([]);
    expect(t.refused).toEqual([...Array(5).keys()].map((i) => `${i < 4 ? Channel.notify : Channel.startBundledServer} sender`));
  });
});
