/**
 * The modules a TypeScript file loads at run time, read with the TypeScript parser: type-only
 * imports and exports are left out (they are erased). Used by the process-boundary check and by
 * the packaging check of what the main process needs from node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** Runtime imports of a file (type-only imports and exports are left out: they are erased). */
export function runtimeImports(fileName: string, text = readFileSync(fileName, 'utf8')): string[] {
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

/** The bare (package) specifiers reachable from `entry` through its relative imports. */
export function packagesReachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        const found = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((f) => existsSync(f));
        if (!found) throw new Error(`${file}: cannot resolve ${spec}`);
        visit(found);
      } else {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
      }
    }
  };
  visit(resolve(entry));
  return packages;
}
