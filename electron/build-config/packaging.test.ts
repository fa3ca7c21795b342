import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesReachable } from './imports';

const root = resolve(__dirname, '..', '..');

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
});
