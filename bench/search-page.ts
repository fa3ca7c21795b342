/**
 * The page side of `bench/search.ts`, bundled for Chromium: synthetic messages written
 * through the app's own Dexie schema and token middleware (`openDb`), the app's search over
 * them, and the two references measured beside it in the same browser: the same rows in a
 * store without the index (the version 4 schema), and a full scan of that store.
 * Everything is exposed on `window.searchBench` and returns plain JSON.
 */
import { Dexie } from 'dexie';
import { backfillTokens } from '../src/search/backfill';
import { searchCoverage, searchMessages } from '../src/search/search';
import { openDb, type StoredMessage, type TidingsDb } from '../src/store/db';

/** The version 4 schema: what a device stored before search (no `*tokens`, no `createdAt`). */
const V4 = {
  conversations: 'id, activityAt',
  messages: 'key, [conversationId+order], msgId, [conversationId+replyTo.seq]',
  outbox: '++id, messageKey',
  users: 'id, username',
  meta: 'key',
  receipts: '[conversationId+userId], conversationId',
};

/** mulberry32: a small seeded generator, so every run stores the same messages. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNCTION_WORDS = 'the a to and is of in it you that for on we this be are with have at not but so can just if my me will do your what was all get about there out up when like no'.split(' ');
const TOPIC_WORDS =
  'meeting coffee server tomorrow budget report weekend train dinner project notes friday ticket review plans release build deploy lunch office email call phone photo trip hotel flight bug fix test design draft slides client invoice payment delivery package address birthday party music movie game football weather rain morning evening night week month today yesterday later sorry thanks great cool sure maybe please again soon home work school kids doctor car bus station airport restaurant menu pizza tea beer wine gym run walk book read write code review merge branch version update install laptop screen battery charger password account login settings proxy network wifi router backup database query index cache latency schedule deadline agenda minutes summary feedback question answer idea problem issue error crash log'.split(
    ' ',
  );
const SYLLABLES = 'ka lo ven tri mor sel pa dun ri go bel xan tor mi su fel qu ar no is zen ul ba cre dor'.split(' ');
const CHINESE_WORDS =
  '消息 会议 周末 项目 晚饭 咖啡 服务 报告 明天 火车 今天 昨天 朋友 公司 电话 邮件 问题 时间 工作 学校 孩子 医生 电影 音乐 天气 下雨 早上 晚上 飞机 酒店 旅行 生日 礼物 快递 地址 密码 账号 网络 手机 电脑 照片 视频 文件 计划 预算 客户 发票 付款 设计 测试 版本 更新 安装 备份 数据 缓存 离线 送达 收到 发送 回复 谢谢 没有 可以 知道 觉得 需要 已经 还是 因为 所以 但是 如果 一起 现在 马上 一下 东西 地方 事情'.split(
    ' ',
  );
const CHINESE_CHARS = '的了是我你他她在有不这个们来去说好吗吧呢啊也就都很要会'.split('');

/** Words of the long tail: made-up words, each rare, as real vocabularies have. */
function rareWord(r: () => number): string {
  let w = '';
  const n = 2 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return w;
}

/** Zipf-like pick: low indexes much more often than high ones. */
const zipf = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(list.length * r() ** 2.2)] as T;

function englishText(r: () => number): string {
  const n = 3 + Math.floor(r() ** 1.8 * 28);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    words.push(x < 0.45 ? zipf(r, FUNCTION_WORDS) : x < 0.9 ? zipf(r, TOPIC_WORDS) : rareWord(r));
  }
  const first = words[0] ?? '';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}${r() < 0.3 ? '?' : r() < 0.5 ? '!' : '.'}`;
}

function chineseText(r: () => number): string {
  const n = 2 + Math.floor(r() ** 1.6 * 14);
  let s = '';
  for (let i = 0; i < n; i++) s += r() < 0.65 ? zipf(r, CHINESE_WORDS) : zipf(r, CHINESE_CHARS);
  return `${s}${r() < 0.3 ? '？' : '。'}`;
}

/** 70 % English, 25 % Chinese, 5 % both in one message; 40 conversations over a year. */
function makeMessages(count: number, seed: number): StoredMessage[] {
  const r = rng(seed);
  const start = Date.UTC(2025, 0, 1);
  const span = 365 * 86_400_000;
  const seqs = new Map<string, number>();
  const rows: StoredMessage[] = [];
  for (let i = 0; i < count; i++) {
    const conversationId = `d_${1 + Math.floor(r() ** 1.5 * 40)}_99`;
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    const senderId = r() < 0.5 ? '99' : conversationId.split('_')[1] ?? '1';
    const x = r();
    const text = x < 0.7 ? englishText(r) : x < 0.95 ? chineseText(r) : `${englishText(r)} ${chineseText(r)}`;
    const at = start + Math.floor((span * i) / count);
    const clientMsgId = `m-${i}`;
    rows.push({
      key: `${conversationId}|${senderId}|${clientMsgId}`,
      conversationId,
      senderId,
      clientMsgId,
      text,
      msgId: String(i + 1),
      seq,
      order: seq,
      serverTime: at,
      createdAt: at,
      system: null,
      recalledBy: null,
      replyTo: null,
    });
  }
  return rows;
}

const CHUNK = 1_000;

async function writeAll(table: { bulkPut(rows: StoredMessage[]): Promise<unknown> }, db: Dexie, rows: StoredMessage[]): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await db.transaction('rw', db.table('messages'), () => table.bulkPut(chunk));
  }
  return performance.now() - t0;
}

let rows: StoredMessage[] = [];
let indexed: TidingsDb | null = null;
let plain: Dexie | null = null;

const api = {
  generate(count: number, seed: number): { count: number; avgChars: number; cjkShare: number } {
    rows = makeMessages(count, seed);
    const chars = rows.reduce((s, m) => s + m.text.length, 0);
    const cjk = rows.filter((m) => /\p{Script=Han}/u.test(m.text)).length;
    return { count: rows.length, avgChars: chars / rows.length, cjkShare: cjk / rows.length };
  },

  async usage(): Promise<number> {
    return (await navigator.storage.estimate()).usage ?? Number.NaN;
  },

  /** The rows into the app's store (version 5: `*tokens` kept by the middleware). */
  async fillIndexed(): Promise<{ ms: number; tokens: number }> {
    indexed = openDb('bench-indexed');
    await indexed.open();
    const ms = await writeAll(indexed.messages, indexed, rows);
    const sample = await indexed.messages.limit(1_000).toArray();
    const tokens = sample.reduce((s, m) => s + (m.tokens?.length ?? 0), 0) / sample.length;
    return { ms, tokens };
  },

  /** The same rows into a version 4 store: no index to maintain (the reference for writing). */
  async fillPlain(): Promise<{ ms: number }> {
    plain = new Dexie('bench-plain');
    plain.version(4).stores(V4);
    await plain.open();
    return { ms: await writeAll(plain.table('messages'), plain, rows) };
  },

  /** One search through the index, as the app runs it. */
  async search(query: string): Promise<{ ms: number; found: number; more: boolean }> {
    if (!indexed) throw new Error('fillIndexed first');
    const t0 = performance.now();
    const r = await searchMessages(indexed, query);
    return { ms: performance.now() - t0, found: r.messages.length, more: r.more };
  },

  async coverage(): Promise<{ ms: number; count: number }> {
    if (!indexed) throw new Error('fillIndexed first');
    const t0 = performance.now();
    const c = await searchCoverage(indexed);
    return { ms: performance.now() - t0, count: c.count };
  },

  /**
   * The search without an index: every stored row read and its lower-cased text checked
   * with `includes` for each word (cheaper than the index's matching: no accents, no word
   * starts), then the newest 50. Run on the store without tokens, whose rows are smaller.
   */
  async scan(query: string): Promise<{ ms: number; found: number }> {
    if (!plain) throw new Error('fillPlain first');
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const t0 = performance.now();
    const hits = await plain
      .table<StoredMessage>('messages')
      .filter((m) => {
        const t = m.text.toLowerCase();
        return words.every((w) => t.includes(w));
      })
      .toArray();
    hits.sort((a, b) => b.createdAt - a.createdAt);
    const found = hits.slice(0, 50).length;
    return { ms: performance.now() - t0, found };
  },

  /**
   * Opening the version 4 store with the app's schema (the upgrade declares the indexes and
   * leaves a marker), then indexing the messages it held, as the app does after opening.
   */
  async upgradePlain(): Promise<{ openMs: number; backfillMs: number; found: number }> {
    plain?.close();
    plain = null;
    const t0 = performance.now();
    const db = openDb('bench-plain');
    await db.open();
    const openMs = performance.now() - t0;
    const t1 = performance.now();
    await backfillTokens(db);
    const backfillMs = performance.now() - t1;
    const found = (await searchMessages(db, 'coffee')).messages.length;
    db.close();
    return { openMs, backfillMs, found };
  },
};

export type SearchBenchApi = typeof api;

declare global {
  interface Window {
    searchBench?: SearchBenchApi;
  }
}

window.searchBench = api;
