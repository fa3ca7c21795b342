/** The multi-device demo's main-process side, with the stand-in for Electron (see main-process.test.ts). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { electronDemoArgument } from '../../server/demo';

const fake = await vi.hoisted(async () => (await import('./testing/fake-electron')).createFakeElectron());
vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

describe('multi-device demo (with a stand-in for Electron)', () => {
  const appData = mkdtempSync(join(tmpdir(), 'tidings-demo-'));
  fake.state.paths.set('appData', appData);
  afterAll(() => {
    delete process.env.TIDINGS_DEMO;
    delete process.env.TIDINGS_SERVER_URL;
    rmSync(appData, { recursive: true, force: true });
  });

  it('[DESK-17] [DEMO-2] [DESK-23] --demo opens one window per device, each in its own persistent partition, all offered the demo server and told their demo account, in a separate profile; the menu in the system’s language', async () => {
    // What server/demo.ts passes (electronDemoArgument), by the environment here.
    process.env.TIDINGS_DEMO = electronDemoArgument().slice('--demo='.length);
    process.env.TIDINGS_SERVER_URL = 'http://127.0.0.1:3000';
    // A system in Simplified Chinese: the menu and tray speak it before any window has loaded.
    fake.state.locale = 'zh-CN';
    await import('./index');
    const { state } = fake;
    await vi.waitFor(() => expect(state.windows).toHaveLength(3));
    expect((state.menu?.template as { label?: string }[]).map((i) => i.label)).toEqual(['文件(&F)', '编辑(&E)', '视图(&V)', '窗口(&W)']);
    expect(state.tray?.menu?.template[0]?.label).toBe('没有未读消息');
    expect(state.paths.get('userData')).toBe(join(appData, 'Tidings (dev) Demo'));
    expect([...fake.partitions.keys()]).toEqual(['persist:alice-laptop', 'persist:alice-phone', 'persist:bob']);
    const sessions = state.windows.map((w) => (w.options.webPreferences as { session: unknown }).session);
    expect(new Set(sessions).size).toBe(3);
    expect(sessions).not.toContain(fake.defaultSession);
    // Every partition gets the permission policy, not only the default session.
    for (const s of fake.partitions.values()) expect(s.request).not.toBeNull();
    expect(state.windows.map((w) => (w.options.webPreferences as { additionalArguments: string[] }).additionalArguments)).toEqual([
      ['--tidings-server-url=http://127.0.0.1:3000', '--tidings-profile=alice-laptop', '--tidings-demo-account=alice'],
      ['--tidings-server-url=http://127.0.0.1:3000', '--tidings-profile=alice-phone', '--tidings-demo-account=alice'],
      ['--tidings-server-url=http://127.0.0.1:3000', '--tidings-profile=bob', '--tidings-demo-account=bob'],
    ]);
    // Cascaded, and each title says which device it is.
    expect(new Set(state.windows.map((w) => `${w.bounds.x},${w.bounds.y}`)).size).toBe(3);
    const bob = state.windows[2]!;
    const titleEvent = fake.cancellable();
    bob.emit('page-title-updated', titleEvent, '(2) Tidings');
    expect(titleEvent.defaultPrevented).toBe(true);
    expect(bob.title).toBe('(2) Tidings — bob');

    // Demo windows are not remembered, and closing them all ends the demo.
    for (const w of state.windows) w.close();
    expect(existsSync(join(appData, 'Tidings (dev) Demo', 'window-state.json'))).toBe(false);
    await vi.waitFor(() => expect(state.quit).toBe(true));
  });
});
