import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BADGE_ICON_FILES } from '../main/badge';

const root = resolve(__dirname, '..', '..');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe('icons and the web app manifest', () => {
  it('[DESK-19] the manifest makes an installable app: standalone, every icon present at its declared size, 192 and 512 for any purpose and maskable', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'src/public/manifest.webmanifest'), 'utf8')) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      icons: ManifestIcon[];
    };
    expect(manifest).toMatchObject({ name: 'Tidings', short_name: 'Tidings', start_url: './', display: 'standalone' });
    for (const icon of manifest.icons) {
      const file = join(root, 'src/public', icon.src);
      expect(existsSync(file), icon.src).toBe(true);
      if (icon.type !== 'image/png') continue;
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(file), icon.src).toEqual({ width: w, height: h });
    }
    const has = (size: string, purpose: string) => manifest.icons.some((i) => i.sizes === size && i.type === 'image/png' && (i.purpose ?? 'any').split(' ').includes(purpose));
    expect(has('192x192', 'any') && has('512x512', 'any') && has('512x512', 'maskable') && has('192x192', 'maskable')).toBe(true);
  });

  it('[DESK-19] the desktop icons exist: app icon (≥ 512 for the .icns/.ico), Linux set, and every tray, macOS template and overlay icon main may show at 16 px and @2x', () => {
    expect(pngSize(join(root, 'build/icon.png')).width).toBeGreaterThanOrEqual(512);
    for (const n of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(join(root, `build/icons/${n}x${n}.png`))).toEqual({ width: n, height: n });
    expect(BADGE_ICON_FILES).toEqual(expect.arrayContaining(['tray.png', 'trayTemplate.png', 'tray-1.png', 'tray-9plus.png', 'overlay-1.png', 'overlay-9plus.png']));
    for (const name of BADGE_ICON_FILES) {
      expect(pngSize(join(root, 'build', name)), name).toEqual({ width: 16, height: 16 });
      expect(pngSize(join(root, 'build', name.replace(/\.png$/, '@2x.png'))), name).toEqual({ width: 32, height: 32 });
    }
    // Each count is its own picture (a slip in make-icons.ts could draw one count into every file).
    const pictures = BADGE_ICON_FILES.map((name) => createHash('sha256').update(readFileSync(join(root, 'build', name))).digest('hex'));
    expect(new Set(pictures).size).toBe(BADGE_ICON_FILES.length);
  });
});
