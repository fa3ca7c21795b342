/**
 * `npx tsx bench/search.ts`: local message search in Debian's Chromium. Bundles
 * bench/search-page.ts (the app's tokenizer, Dexie schema, token middleware and search) with
 * Vite, serves it on 127.0.0.1, stores 100,000 synthetic messages in a disk-backed browser
 * profile, and times: writing them with the index against writing them without it, the
 * search's queries against a full scan of the same messages, and the version 5 upgrade of a
 * store that holds them. Prints a Markdown table and writes it into docs/benchmarks.md as the
 * section `## Local search` (replacing an earlier one). About two minutes.
 */
import { chromium, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { SearchBenchApi } from './search-page';
import { fmtInt, fmtMs, fmtRatio, percentile } from './stats';

const MESSAGES = 100_000;
const SEED = 20_260_303;
const REPO = resolve(fileURLToPath(import.meta.url), '..', '..');

/** Ten queries of each kind; every one runs through the index and as a full scan. */
const QUERIES: Record<string, readonly string[]> = {
  'English word': ['meeting', 'coffee', 'server', 'tomorrow', 'budget', 'report', 'weekend', 'train', 'dinner', 'project'],
  'English prefix': ['meet', 'coff', 'serv', 'tomor', 'budg', 'repo', 'week', 'trai', 'dinn', 'proj'],
  'Chinese bigram': ['消息', '会议', '周末', '项目', '晚饭', '咖啡', '服务', '报告', '明天', '火车'],
  'two words (AND)': ['meeting notes', 'dinner friday', 'train ticket', 'budget review', 'weekend plans', 'release build', 'coffee tomorrow', 'server crash', 'project deadline', 'proxy router'],
  'no match': ['zyxwv', 'qqqzz', 'xylophonist', 'quux', 'blorpt', 'fnord', 'kwyjibo', 'snarf', 'wibblex', '鬱鬱'],
};

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

async function bundle(dir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: REPO,
    build: {
      outDir: dir,
      emptyOutDir: true,
      minify: true,
      lib: { entry: join(REPO, 'bench', 'search-page.ts'), formats: ['es'], fileName: () => 'search-page.js' },
    },
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>search bench</title><script type="module" src="./search-page.js"></script>');
}

function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path.slice(1));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      res({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    }),
  );
}

/** Calls one of the page's functions (see bench/search-page.ts). */
function call<K extends keyof SearchBenchApi>(page: Page, name: K, ...args: Parameters<SearchBenchApi[K]>): Promise<Awaited<ReturnType<SearchBenchApi[K]>>> {
  return page.evaluate(
    ([n, a]) => {
      const api = window.searchBench as unknown as Record<string, (...x: unknown[]) => unknown>;
      const fn = api[n as string];
      if (!fn) throw new Error(`no ${String(n)}`);
      return fn(...(a as unknown[]));
    },
    [name, args] as const,
  ) as Promise<Awaited<ReturnType<SearchBenchApi[K]>>>;
}

interface KindResult {
  kind: string;
  index: number[];
  scan: number[];
  found: number;
}

const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const p95 = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 95);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'tidings-search-bench-'));
  const out = join(tmp, 'page');
  let server: Server | null = null;
  const started = Date.now();
  const load = loadavg()[0] ?? Number.NaN;
  try {
    await bundle(out);
    const served = await serve(out);
    server = served.server;
    // A disk-backed profile: IndexedDB of an incognito context lives in memory, the app's does not.
    const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(served.url);
      await page.waitForFunction(() => !!window.searchBench);
      const version = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'));

      const data = await call(page, 'generate', MESSAGES, SEED);
      console.log(`${fmtInt(data.count)} messages, ${data.avgChars.toFixed(0)} characters on average, ${(100 * data.cjkShare).toFixed(0)} % with Chinese`);
      const u0 = await call(page, 'usage');
      const plain = await call(page, 'fillPlain');
      const u1 = await call(page, 'usage');
      console.log(`stored without the index: ${fmtInt(plain.ms)} ms`);
      const indexed = await call(page, 'fillIndexed');
      const u2 = await call(page, 'usage');
      console.log(`stored with the index: ${fmtInt(indexed.ms)} ms (${indexed.tokens.toFixed(1)} tokens per message)`);

      // One untimed pass, so that neither side is timed with a cold cache of the store's pages.
      for (const q of ['hello', '消息']) {
        await call(page, 'search', q);
        await call(page, 'scan', q);
      }
      const kinds: KindResult[] = [];
      for (const [kind, queries] of Object.entries(QUERIES)) {
        const k: KindResult = { kind, index: [], scan: [], found: 0 };
        for (const q of queries) {
          const s = await call(page, 'search', q);
          const f = await call(page, 'scan', q);
          k.index.push(s.ms);
          k.scan.push(f.ms);
          k.found += s.found;
        }
        kinds.push(k);
        console.log(`${kind}: index median ${fmtMs(median(k.index))} ms, scan median ${fmtMs(median(k.scan))} ms`);
      }
      const coverage = await call(page, 'coverage');
      const upgrade = await call(page, 'upgradePlain');
      console.log(`version 5 upgrade of ${fmtInt(MESSAGES)} stored messages: open ${fmtInt(upgrade.openMs)} ms, indexing them afterwards ${fmtInt(upgrade.backfillMs)} ms`);

      const all = { index: kinds.flatMap((k) => k.index), scan: kinds.flatMap((k) => k.scan) };
      const lines: string[] = [];
      lines.push('## Local search', '');
      lines.push(
        'Written by `bench/search.ts`, which `npm run bench` runs after the transport bench (that one keeps this section when it rewrites the file).',
        '',
      );
      lines.push(`- Date: ${new Date(started).toISOString()}`);
      lines.push('- Command: `npx tsx bench/search.ts` (it bundles bench/search-page.ts with Vite itself; no `npm run build` needed)');
      lines.push(
        `- Machine: ${cpus().length} cores (\`os.cpus().length\`), ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM; 1-minute load average ${load.toFixed(2)} when the run started and ${(loadavg()[0] ?? Number.NaN).toFixed(2)} when it ended (other work shares these cores: figures move between runs)`,
      );
      lines.push(`- Browser: Debian's Chromium ${version}, headless, a disk-backed profile (\`launchPersistentContext\`)`);
      lines.push(
        `- Data: ${fmtInt(MESSAGES)} synthetic messages in 40 conversations over a year (seeded), ${data.avgChars.toFixed(0)} characters on average; 70 % English (Zipf-distributed common and topic words plus a long tail of made-up words), 25 % Chinese, 5 % both; ${indexed.tokens.toFixed(1)} tokens per message`,
      );
      lines.push('');
      lines.push('| query (10 of each) | index median ms | index p95 ms | full scan median ms | full scan p95 ms | scan ÷ index (median) | results (of 50) |');
      lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
      for (const k of kinds) {
        lines.push(
          `| ${k.kind} | ${fmtMs(median(k.index))} | ${fmtMs(p95(k.index))} | ${fmtMs(median(k.scan))} | ${fmtMs(p95(k.scan))} | ${fmtRatio(median(k.scan) / median(k.index))} | ${(k.found / QUERIES[k.kind]!.length).toFixed(0)} |`,
        );
      }
      lines.push(`| **all 50** | **${fmtMs(median(all.index))}** | **${fmtMs(p95(all.index))}** | ${fmtMs(median(all.scan))} | ${fmtMs(p95(all.scan))} | ${fmtRatio(median(all.scan) / median(all.index))} | |`);
      lines.push('');
      lines.push('| writing and storage | with the index | without it | ratio |');
      lines.push('| --- | ---: | ---: | ---: |');
      lines.push(
        `| store ${fmtInt(MESSAGES)} messages, ms (1,000 per transaction) | ${fmtInt(indexed.ms)} | ${fmtInt(plain.ms)} | ${fmtRatio(indexed.ms / plain.ms)} |`,
      );
      lines.push(`| messages stored per second | ${fmtInt((MESSAGES * 1000) / indexed.ms)} | ${fmtInt((MESSAGES * 1000) / plain.ms)} | |`);
      lines.push(`| storage used (\`navigator.storage.estimate\`) | ${mib(u2 - u1)} | ${mib(u1 - u0)} | ${fmtRatio((u2 - u1) / (u1 - u0))} |`);
      lines.push('');
      lines.push(
        `A device that held the ${fmtInt(MESSAGES)} messages before search (a version 4 store) opens it at version 5 in ${fmtInt(upgrade.openMs)} ms: the upgrade only builds the two indexes. It then indexes those messages in the background, 500 per transaction, in ${fmtInt(upgrade.backfillMs)} ms (src/search/backfill.ts); a first version that tokenized them inside the upgrade kept the store, and the app, closed for 33 to 43 s in earlier runs of this bench on this machine. What the search covered (\`Searched N messages…\`: a count and the oldest \`createdAt\`) took ${fmtMs(coverage.ms)} ms, in a query of its own beside the results.`,
      );
      lines.push('');
      lines.push('### What is measured');
      lines.push('');
      lines.push(
        "- **Index.** `searchMessages` from src/search/search.ts, as the app calls it, timed in the page around the `await` (one read transaction). It never counts (IndexedDB counts a range entry by entry): it reads up to 2,000 keys of each term's index range; when some term has fewer, their intersection is read and checked (at most 800 rows, or, when more and every term already matches, found newest first through growing windows of the `createdAt` index); when every term is common, the newest rows are read a window of the time index at a time and checked, up to 3,000, before whole ranges are intersected. Every query asks for the newest 50.",
      );
      lines.push(
        '- **Full scan (the limit without an index).** The same messages in a store with the version 4 schema (no `tokens` in the rows), every row read with a Dexie `filter` that lower-cases the text and checks `includes` for each word, then sorted newest first. It is the cheapest search without an index: it ignores accents and word starts, which the index handles. Both run in the same browser, one after the other for each query, after one untimed pass of each.',
      );
      lines.push(
        '- **Writing.** The rows written with `bulkPut`, 1,000 per `rw` transaction, once into the app\'s store (`openDb`: version 5, the token middleware computing each row\'s tokens, the `*tokens` and `createdAt` indexes) and once into the version 4 store; the ratio is the cost of keeping the index. Real writes come from `storeMessages`, 1 to 200 at a time, which also reads each row before writing it; those costs are the same with or without search.',
      );
      lines.push(
        '- **Storage.** `navigator.storage.estimate().usage` of the origin before and after each store was filled (Chromium\'s IndexedDB files, before any compaction): approximate.',
      );
      const section = `${lines.join('\n')}\n`;
      console.log(`\n${section}`);
      writeSection(section);
      console.log('Wrote the `## Local search` section of docs/benchmarks.md');
    } finally {
      await context.close();
    }
  } finally {
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Replaces `## Local search` (up to the next `## ` heading) in docs/benchmarks.md, or appends it. */
function writeSection(section: string): void {
  const path = join(REPO, 'docs', 'benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf('\n## Local search\n');
  if (start < 0) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${section}`);
    return;
  }
  const next = doc.indexOf('\n## ', start + 1);
  writeFileSync(path, `${doc.slice(0, start + 1)}${section}${next < 0 ? '' : `\n${doc.slice(next + 1)}`}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
