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
 *   `electron` import (type-only imports are erased), so it runs under vitest in plain Node.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, keep);
    return keep(path) ? [path] : [];
  });
}

const isSource = (p: string) => /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p) && !p.endsWith('.d.ts');

/** Runtime imports of a file (type-only imports and exports are left out: they are erased). */
function runtimeImports(fileName: string, text = readFileSync(fileName, 'utf8')): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      out.push(arg && ts.isStringLiteral(arg) ? arg.text : '<dynamic>');
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const [arg] = node.arguments;
      out.push(arg && ts.isStringLiteral(arg) ? arg.text : '<dynamic>');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

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
