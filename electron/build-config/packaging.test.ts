import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BADGE_ICON_FILES } from '../main/badge';
import { packagesReachable } from './imports';

const root = resolve(__dirname, '..', '..');

/** The `files:` patterns of electron-builder.yml, in order (`!` excludes). */
function filePatterns(yml: string): string[] {
  const block = /^files:\n((?:[ \t]+.*\n|\n)*)/m.exec(yml)?.[1] ?? '';
  return block.split('\n').flatMap((line) => /^\s+-\s+"?([^"]+?)"?\s*$/.exec(line)?.[1] ?? []);
}

/**
 * Whether electron-builder packs `file` (relative to the app's root): the last pattern that
 * matches it decides. Only the globs build/ needs are read (`*` within a folder); a pattern in
 * build/ using more fails the check rather than being misread.
 */
function packed(file: string, patterns: string[]): boolean {
  let inside = false;
  for (const pattern of patterns) {
    const exclude = pattern.startsWith('!');
    const glob = exclude ? pattern.slice(1) : pattern;
    if (!glob.startsWith('build/')) continue;
    expect(glob, 'a pattern this check cannot read').toMatch(/^[\w./@*-]+$/);
    expect(glob).not.toContain('**');
    const re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
    if (re.test(file)) inside = !exclude;
  }
  return inside;
}

describe('desktop packaging', () => {
  it('[DESK-20] every package the main process loads ships with the app: a production dependency, not excluded in electron-builder.yml', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; main: string };
    expect(pkg.main).toBe('out/main/index.js');
    const builtins = new Set(builtinModules);
    const needed = [...packagesReachable(join(root, 'electron/main/index.ts'))].filter((p) => p !== 'electron' && !p.startsWith('node:') && !builtins.has(p));
    // The bundled server's modules are among them (loaded on demand, but loaded).
    expect(needed).toEqual(expect.arrayContaining(['better-sqlite3', 'express', 'socket.io', 'zod']));
    expect(needed.filter((p) => !(p in pkg.dependencies))).toEqual([]);

    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    const excluded = [...yml.matchAll(/"!node_modules\/\{([^}]+)\}/g)].flatMap((m) => (m[1] ?? '').split(','));
    expect(excluded.length).toBeGreaterThan(0);
    expect(needed.filter((p) => excluded.includes(p))).toEqual([]);
  });

  it('[DESK-20] every icon main may load from build/ is packed: the window icon, and each tray, template and overlay icon at 1x and @2x', () => {
    const patterns = filePatterns(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
    expect(patterns).toContain('out/**');
    // icon.png is the window's icon (index.ts); the rest are the tray's and the badge's.
    const icons = ['icon.png', ...BADGE_ICON_FILES.flatMap((f) => [f, f.replace(/\.png$/, '@2x.png')])].map((f) => `build/${f}`);
    expect(icons.filter((f) => !packed(f, patterns))).toEqual([]);
    // The check itself: what no pattern names stays out.
    expect(packed('build/icons/16x16.png', patterns)).toBe(false);
    expect(packed('build/entitlements.plist', patterns)).toBe(false);
  });
});
