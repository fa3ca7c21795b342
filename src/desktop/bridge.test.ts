import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n/languages';
import {
  BundledServerSchema,
  DesktopCommandSchema,
  DesktopLanguageSchema,
  LIMITS,
  NotifyRequestSchema,
  UnreadTotalSchema,
  desktopApi,
  notifyRequest,
  type TidingsDesktopApi,
} from './bridge';

const g = globalThis as { tidings?: unknown };

describe('desktop bridge contract', () => {
  afterEach(() => {
    delete g.tidings;
  });

  it('[DESK-3] every message is parsed strictly: wrong types, extra keys and oversize text are refused', () => {
    expect(NotifyRequestSchema.safeParse({ tag: 'c1:5', title: 'Bob', body: 'hi' }).success).toBe(true);
    expect(NotifyRequestSchema.safeParse({ tag: 'c1:5', title: 'Bob', body: 'hi', icon: 'file:///etc/passwd' }).success).toBe(false);
    expect(NotifyRequestSchema.safeParse({ tag: '', title: 'Bob', body: 'hi' }).success).toBe(false);
    expect(NotifyRequestSchema.safeParse({ tag: 'x', title: 'Bob', body: 'b'.repeat(LIMITS.body + 1) }).success).toBe(false);
    expect(NotifyRequestSchema.safeParse('c1:5').success).toBe(false);
    expect(UnreadTotalSchema.safeParse(3).success).toBe(true);
    for (const bad of [-1, 1.5, Number.NaN, '3', LIMITS.unread + 1]) expect(UnreadTotalSchema.safeParse(bad).success).toBe(false);
    expect(DesktopCommandSchema.safeParse('search').success).toBe(true);
    expect(DesktopCommandSchema.safeParse('quit').success).toBe(false);
    expect(BundledServerSchema.safeParse({ url: 'http://127.0.0.1:41234' }).success).toBe(true);
    expect(BundledServerSchema.safeParse({ url: 'http://evil.example:80' }).success).toBe(false);
  });

  it('[DESK-3] notifyRequest() cuts long titles and bodies to the limits, so notify() never throws on them', () => {
    const long = notifyRequest('c:1', 'Ann, Bob, '.repeat(50), '😀'.repeat(900));
    expect(NotifyRequestSchema.safeParse(long).success).toBe(true);
    expect(long.title.endsWith('…')).toBe(true);
    expect(long.body.length).toBeLessThanOrEqual(LIMITS.body);
    expect(notifyRequest('c:1', 'Bob', 'hi')).toEqual({ tag: 'c:1', title: 'Bob', body: 'hi' });
  });

  it('[DESK-23] the bridge’s languages are the ones the app speaks', () => {
    expect(DesktopLanguageSchema.options).toEqual(LANGUAGES.map((l) => l.code));
    expect(DesktopLanguageSchema.safeParse('fr').success).toBe(false);
  });

  it('[DESK-4] desktopApi() is null in a browser and when window.tidings is not our bridge', () => {
    expect(desktopApi()).toBeNull();
    g.tidings = { serverUrl: 'http://127.0.0.1:3000' };
    expect(desktopApi()).toBeNull();
    g.tidings = { desktop: true, notify: () => undefined };
    expect(desktopApi()).toBeNull();
    const fn = () => undefined;
    const api = {
      desktop: true,
      platform: 'linux',
      serverUrl: null,
      profile: null,
      demoAccount: null,
      notify: fn,
      closeNotification: fn,
      onNotificationClick: () => fn,
      setUnread: fn,
      setLanguage: fn,
      onCommand: () => fn,
      bundledServer: async () => null,
      startBundledServer: async () => ({ url: 'http://127.0.0.1:1' }),
      releaseBundledServer: fn,
    } satisfies TidingsDesktopApi;
    g.tidings = api;
    expect(desktopApi()).toBe(api);
  });
});
