/**
 * Makes every PNG icon from src/public/icon.svg by rendering it in Chromium (Debian's, through
 * Playwright; no image library needed), and writes them where they are used:
 *
 * - `src/public/icons/`: the web app manifest's icons (any purpose and maskable) and the
 *   apple-touch-icon;
 * - `build/icon.png` and `build/icons/NxN.png`: electron-builder makes the macOS .icns and the
 *   Windows .ico from icon.png, and takes the Linux set from icons/;
 * - `build/tray.png`, `build/trayTemplate.png`: the tray icon and its macOS template (black,
 *   tinted by the system);
 * - `build/tray-<count>.png`, `build/overlay-<count>.png`: the tray icon with the unread count on
 *   a red badge, and the Windows taskbar overlay (the count on a red disc), one per count main
 *   can show (`ICON_COUNTS` in electron/main/badge.ts: 1…9 and 9+).
 *
 * Every tray and overlay icon is made at 16 px and @2x. The digits are drawn as pixels, not
 * text, so the files do not depend on the fonts of the machine that makes them, and stay sharp
 * at 16 px.
 *
 * Run after changing icon.svg, and commit the results: `npx tsx electron/scripts/make-icons.ts`.
 */
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countIconFile, ICON_COUNTS, type IconCount } from '../main/badge';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = readFileSync(join(root, 'src/public/icon.svg'), 'utf8');

const BRAND = '#2f6fed';
/** The badge's red: dark enough that white digits on it reach 5.6:1 (the app's error red). */
const RED = '#c62828';
/** The speech bubble of icon.svg (64×64 units), drawn alone for the other variants. */
const bubble = /<path d="([^"]+)"/.exec(source)?.[1];
if (!bubble) throw new Error('icon.svg: no <path> found for the bubble');
const iconBody = source.replace(/^<svg[^>]*>|<\/svg>\s*$/g, '');

const svg = (body: string, units = 64) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${units} ${units}">${body}</svg>`;

/** Full bleed, the bubble scaled into the central 80 % circle that any mask keeps. */
const maskable = svg(`<rect width="64" height="64" fill="${BRAND}"/><path d="${bubble}" fill="#fff" transform="translate(32 32) scale(0.75) translate(-32 -32)"/>`);
/** macOS menu bar: the bubble in black on transparent; the system tints it (the name must end in Template). */
const template = svg(`<path d="${bubble}" fill="#000" transform="translate(32 32) scale(1.3) translate(-32 -32)"/>`);

/**
 * The digits, 5×7 pixels, and a 3×3 plus for `9+`: drawn on the 16-unit grid of the badge
 * icons, each cell is exactly one pixel at 16 px and two at @2x.
 */
const GLYPHS: Record<string, readonly string[]> = {
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['.###.', '#...#', '....#', '..##.', '....#', '#...#', '.###.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '+': ['...', '...', '.#.', '###', '.#.', '...', '...'],
};
const GLYPH_HEIGHT = 7;

/** `text` in white pixels, its box centred on (cx, cy) of the 16-unit grid. */
function pixelText(text: string, cx: number, cy: number): string {
  const glyphs = [...text].map((ch) => {
    const rows = GLYPHS[ch];
    if (!rows) throw new Error(`no glyph for ${JSON.stringify(ch)}`);
    return rows;
  });
  const width = glyphs.reduce((w, rows) => w + (rows[0]?.length ?? 0), 0) + glyphs.length - 1;
  const left = cx - width / 2;
  const top = cy - GLYPH_HEIGHT / 2;
  if (!Number.isInteger(left) || !Number.isInteger(top)) throw new Error(`"${text}" would fall between pixels`);
  let x = left;
  let d = '';
  for (const rows of glyphs) {
    rows.forEach((row, y) => [...row].forEach((cell, i) => (d += cell === '#' ? `M${x + i} ${top + y}h1v1h-1z` : '')));
    x += (rows[0]?.length ?? 0) + 1;
  }
  return `<path d="${d}" fill="#fff"/>`;
}

/**
 * The tray icon with the count in the bottom right corner, over most of the icon as Telegram
 * does (smaller would not be legible), with a transparent pixel around it to part it from the
 * icon: a disc for one digit, a pill for `9+`.
 */
function trayWithCount(count: IconCount): string {
  const shape = (grow: number) =>
    count.length === 1
      ? `<circle cx="10.5" cy="10.5" r="${5.5 + grow}"/>`
      : `<rect x="${3 - grow}" y="${5 - grow}" width="${13 + 2 * grow}" height="${11 + 2 * grow}" rx="${5.5 + grow}"/>`;
  return svg(
    `<mask id="cut"><rect width="16" height="16" fill="#fff"/><g fill="#000">${shape(1)}</g></mask>` +
      `<g mask="url(#cut)"><g transform="scale(0.25)">${iconBody}</g></g>` +
      `<g fill="${RED}">${shape(0)}</g>${pixelText(count, count.length === 1 ? 10.5 : 9.5, 10.5)}`,
    16,
  );
}

/**
 * The Windows taskbar overlay, drawn over a corner of the app's taskbar button: the count on a
 * red disc, ringed in white to part it from the icon under it.
 */
const overlayWithCount = (count: IconCount) =>
  svg(`<circle cx="8.5" cy="8.5" r="7.5" fill="#fff"/><circle cx="8.5" cy="8.5" r="6.5" fill="${RED}"/>${pixelText(count, 8.5, 8.5)}`, 16);

const outputs: { file: string; svg: string; size: number }[] = [
  ...[16, 32, 64, 128, 192, 256, 512].map((size) => ({ file: `src/public/icons/icon-${size}.png`, svg: source, size })),
  { file: 'src/public/icons/maskable-512.png', svg: maskable, size: 512 },
  { file: 'src/public/icons/maskable-192.png', svg: maskable, size: 192 },
  { file: 'src/public/icons/apple-touch-icon.png', svg: maskable, size: 180 },
  { file: 'build/icon.png', svg: source, size: 512 },
  ...[16, 32, 48, 64, 128, 256, 512].map((size) => ({ file: `build/icons/${size}x${size}.png`, svg: source, size })),
  ...[1, 2].flatMap((scale) => {
    // nativeImage takes `name@2x.png` beside `name.png` for high-density screens.
    const at = (file: string) => `build/${scale === 2 ? file.replace(/\.png$/, '@2x.png') : file}`;
    const size = 16 * scale;
    return [
      { file: at('tray.png'), svg: source, size },
      { file: at('trayTemplate.png'), svg: template, size },
      ...ICON_COUNTS.flatMap((count) => [
        { file: at(countIconFile('tray', count)), svg: trayWithCount(count), size },
        { file: at(countIconFile('overlay', count)), svg: overlayWithCount(count), size },
      ]),
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
