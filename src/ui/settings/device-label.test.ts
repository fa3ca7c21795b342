import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../../i18n';
import { deviceName, deviceNameParts, generatedDeviceParts } from '../../sync/api';
import { deviceLabel, signedInText } from './device-label';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('device names', () => {
  it('[DEV-8] a generated name is stored in English and read back into its parts; a chosen one is not', () => {
    expect(deviceName(CHROME_LINUX)).toBe('Chrome on Linux');
    expect(deviceName(SAFARI_IPHONE)).toBe('Safari on iOS');
    expect(deviceName('curl/8.0')).toBe('Browser on unknown system');
    for (const ua of [CHROME_LINUX, SAFARI_IPHONE, 'curl/8.0']) expect(generatedDeviceParts(deviceName(ua))).toEqual(deviceNameParts(ua));
    expect(generatedDeviceParts('Dora’s phone')).toBeNull();
    expect(generatedDeviceParts('Chrome on my desk')).toBeNull();
  });

  it('[DEV-8] a generated name is said in the reader’s language; a chosen one stays as typed', async () => {
    expect(deviceLabel('Chrome on Linux')).toBe('Chrome on Linux');
    await i18n.changeLanguage('zh-CN');
    expect(deviceLabel('Chrome on Linux')).toBe('Linux 上的 Chrome');
    expect(deviceLabel('Browser on unknown system')).toBe('未知系统上的浏览器');
    expect(deviceLabel('Tidings desktop on macOS')).toBe('macOS 上的 Tidings 桌面版');
    expect(deviceLabel('Dora’s phone')).toBe('Dora’s phone');
  });

  it('[DEV-8] two devices signed in at different times say so', () => {
    const a = signedInText(new Date(2026, 11, 5, 23, 36).getTime());
    const b = signedInText(new Date(2026, 11, 5, 23, 41).getTime());
    expect(a).toMatch(/^Signed in /);
    expect(a).not.toBe(b);
  });
});
