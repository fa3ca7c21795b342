/**
 * The Electron process boundary, checked like a lint rule: each process's code lives in its own
 * folder and may import only what that process can load.
 *
 * - renderer (`src/`): no Electron, no Node built-ins, nothing from `server/` or `electron/`
 *   (it runs in a sandbox, and in any browser);
 * - shared contract (`src/desktop/bridge.ts`): zod only (all three processes bundle it);
 * - preload (`electron/preload/`): `electron` and the bridge only (a sandboxed preload cannot
 *   `require` anything else, and everything it imports is bundled into it);
 * - main's pure logic (`electron/main/*.ts` that has a `*.test.ts` beside it): no runtime
 *   `electron` import (type-only imports are erased), so it runs under vitest in plain Node;
 * - main takes from `src/` only the bridge and the language data (the catalogues and the list of
 *   languages, for its menu, tray and badge), which import nothing themselves: no React, no
 *   i18next, nothing that needs a browser.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeImports } from './build-config/imports';

const root = resolve(__dirname, '..');

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

const isSource = (p: string) => /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p) && !p.endsWith('.d.ts');

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || nodeBuiltins.has(spec) || nodeBuiltins.has(spec.split('/')[0] ?? '');
const target = (from: string, spec: string) => (spec.startsWith('.') ? relative(root, resolve(dirname(from), spec)) : spec);

function violations(paths: string[], allowed: (spec: string, resolved: string) => boolean): string[] {
  return paths.flatMap((p) =>
    runtimeImports(p)
      .filter((spec) => !allowed(spec, target(p, spec)))
      .map((spec) => `${relative(root, p)} imports ${spec}`),
  );
}

describe('Electron process boundary', () => {
  it('[DESK-5] each process imports only what it can load', () => {
    const renderer = files(join(root, 'src'), isSource);
    expect(renderer.length).toBeGreaterThan(10);
    expect(
      violations(renderer, (spec, resolved) => spec !== 'electron' && !spec.startsWith('electron/') && !isNodeBuiltin(spec) && !/^(server|electron)\//.test(resolved)),
    ).toEqual([]);

    expect(violations([join(root, 'src/desktop/bridge.ts')], (spec) => spec === 'zod')).toEqual([]);

    const preload = files(join(root, 'electron/preload'), isSource);
    expect(preload.length).toBeGreaterThan(0);
    expect(violations(preload, (spec, resolved) => spec === 'electron' || resolved === 'src/desktop/bridge')).toEqual([]);

    const pure = files(join(root, 'electron/main'), (p) => isSource(p) && existsSync(p.replace(/\.ts$/, '.test.ts')));
    expect(pure.length).toBeGreaterThan(3);
    expect(violations(pure, (spec) => spec !== 'electron' && !spec.startsWith('electron/'))).toEqual([]);

    const fromSrc = ['src/desktop/bridge', 'src/i18n/en', 'src/i18n/zh-CN', 'src/i18n/languages'];
    const main = files(join(root, 'electron/main'), isSource);
    expect(violations(main, (_spec, resolved) => !resolved.startsWith('src/') || fromSrc.includes(resolved))).toEqual([]);
    expect(violations(fromSrc.slice(1).map((f) => join(root, `${f}.ts`)), () => false)).toEqual([]);
  });

  it('[DESK-5] the checker sees runtime imports and ignores type-only ones', () => {
    const sample = [
      "import type { App } from 'electron';",
      "import { type Menu } from 'electron';",
      "export type { Tray } from 'electron';",
      "import { z } from 'zod';",
      "import { app, type BrowserWindow } from 'electron/main';",
      "import './side-effect';",
      "export { x } from '../server/app';",
      "const m = await import('node:fs');",
    ].join('\n');
    expect(runtimeImports('sample.ts', sample)).toEqual(['zod', 'electron/main', './side-effect', '../server/app', 'node:fs']);
  });
});
