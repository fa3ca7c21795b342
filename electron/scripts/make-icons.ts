/**
 * Makes every PNG icon from src/public/icon.svg by rendering it in Chromium (Debian's, through
 * Playwright; no image library needed), and writes them where they are used:
 *
 * - `src/public/icons/`: the web app manifest's icons (any purpose and maskable) and the
 *   apple-touch-icon;
 * - `build/icon.png` and `build/icons/NxN.png`: electron-builder makes the macOS .icns and the
 *   Windows .ico from icon.png, and takes the Linux set from icons/;
 * - `build/tray*.png`, `build/trayTemplate*.png`, `build/overlay-badge*.png`: the tray icon (with
 *   an unread dot), its macOS template (black, tinted by the system) and the Windows taskbar
 *   overlay, each at 1x and @2x.
 *
 * Run after changing icon.svg, and commit the results: `npx tsx electron/scripts/make-icons.ts`.
 */
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(join(root, 'src/public/icon.svg'), 'utf8');

const BRAND = '#2f6fed';
const DOT = '#e5484d';
/** The speech bubble of icon.svg (64×64 units), drawn alone for the other variants. */
const bubble = /<path d="([^"]+)"/.exec(source)?.[1];
if (!bubble) throw new Error('icon.svg: no <path> found for the bubble');

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${body}</svg>`;

/** Full bleed, the bubble scaled into the central 80 % circle that any mask keeps. */
const maskable = svg(`<rect width="64" height="64" fill="${BRAND}"/><path d="${bubble}" fill="#fff" transform="translate(32 32) scale(0.75) translate(-32 -32)"/>`);
/** The app icon with a red dot, top right, ringed in white so it reads on any taskbar. */
const withDot = svg(`${source.replace(/^<svg[^>]*>|<\/svg>\s*$/g, '')}<circle cx="50" cy="14" r="13" fill="#fff"/><circle cx="50" cy="14" r="10" fill="${DOT}"/>`);
/** macOS menu bar: the bubble in black on transparent; the system tints it (the name must end in Template). */
const template = svg(`<path d="${bubble}" fill="#000" transform="translate(32 32) scale(1.3) translate(-32 -32)"/>`);
const overlay = svg(`<circle cx="32" cy="32" r="30" fill="#fff"/><circle cx="32" cy="32" r="25" fill="${DOT}"/>`);

const outputs: { file: string; svg: string; size: number }[] = [
  ...[16, 32, 64, 128, 192, 256, 512].map((size) => ({ file: `src/public/icons/icon-${size}.png`, svg: source, size })),
  { file: 'src/public/icons/maskable-512.png', svg: maskable, size: 512 },
  { file: 'src/public/icons/maskable-192.png', svg: maskable, size: 192 },
  { file: 'src/public/icons/apple-touch-icon.png', svg: maskable, size: 180 },
  { file: 'build/icon.png', svg: source, size: 512 },
  ...[16, 32, 48, 64, 128, 256, 512].map((size) => ({ file: `build/icons/${size}x${size}.png`, svg: source, size })),
  ...[1, 2].flatMap((scale) => {
    const at = scale === 2 ? '@2x' : '';
    return [
      { file: `build/tray${at}.png`, svg: source, size: 16 * scale },
      { file: `build/tray-unread${at}.png`, svg: withDot, size: 16 * scale },
      { file: `build/trayTemplate${at}.png`, svg: template, size: 16 * scale },
      { file: `build/overlay-badge${at}.png`, svg: overlay, size: 16 * scale },
    ];
  }),
];

const browser = await chromium.launch({
  executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const { file, svg: image, size } of outputs) {
    await page.setViewportSize({ width: size, height: size });
    const src = `data:image/svg+xml;base64,${Buffer.from(image).toString('base64')}`;
    await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    mkdirSync(join(root, dirname(file)), { recursive: true });
    writeFileSync(join(root, file), png);
    console.log(`${file} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
