/**
 * History paging against a real server: 300 messages read back page by page with
 * `beforeSeq`; each page ascending and contiguous, no duplicates or holes, head seq correct.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type Message, type SendResult } from '../../src/protocol';
import type { TestClient } from '../support/socket-client';
import { Harness, type TestServer } from '../support/test-server';

const TOTAL = 300;
const h = new Harness();
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let conversationId: string;
const acks: SendResult[] = [];

beforeAll(async () => {
  server = await h.start();
  alice = (await h.user(server, 'alice')).client;
  bob = (await h.user(server, 'bob')).client;
  conversationId = (await alice.request({ type: 'openDirect', username: 'bob' })).conversation.id;
  for (let i = 1; i <= TOTAL; i++) acks.push(await (i % 3 === 0 ? bob : alice).send(conversationId, `message number ${i}`));
});
afterAll(() => h.close());

/** Pages backwards from the head until an empty page; returns each page's seqs. */
async function pageBackwards(reader: TestClient, limit: number) {
  const pages: Message[][] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await reader.request({ type: 'history', conversationId, limit, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    expect(page.lastSeq).toBe(TOTAL);
    if (page.messages.length === 0) break;
    pages.push(page.messages);
    beforeSeq = page.messages[0]!.seq;
  }
  return pages;
}

describe('history', () => {
  it('[SEND-4] 300 sends got seq 1..300 in order', () => {
    expect(acks.map((a) => a.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  });

  for (const limit of [50, 37, LIMITS.historyPageMax]) {
    it(`[HIST-2] paging back ${limit} at a time: pages ascending, contiguous, no duplicates or holes`, async () => {
      const pages = await pageBackwards(limit === 37 ? bob : alice, limit);
      expect(pages).toHaveLength(Math.ceil(TOTAL / limit));
      let expectedTop = TOTAL;
      for (const page of pages) {
        const seqs = page.map((m) => m.seq);
        const bottom = Math.max(1, expectedTop - limit + 1);
        expect(seqs).toEqual(Array.from({ length: expectedTop - bottom + 1 }, (_, i) => bottom + i));
        expectedTop = bottom - 1;
      }
      const all = pages.flat().sort((a, b) => a.seq - b.seq);
      expect(all.map((m) => m.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
      expect(new Set(all.map((m) => m.msgId)).size).toBe(TOTAL);
      // Each stored message is the one that was acked, with its text.
      expect(all.map(({ msgId, seq, serverTime, conversationId: c }) => ({ msgId, seq, serverTime, conversationId: c }))).toEqual(acks);
      expect(all.map((m) => m.text)).toEqual(acks.map((a) => `message number ${a.seq}`));
    });
  }

  it('[HIST-1][HIST-2] the latest page by default; beforeSeq past the head reads the latest; beforeSeq 1 is empty', async () => {
    const latest = await alice.request({ type: 'history', conversationId, limit: 5 });
    expect(latest).toEqual(await alice.request({ type: 'history', conversationId, limit: 5, beforeSeq: 10_000 }));
    expect(latest.messages.map((m) => m.seq)).toEqual([296, 297, 298, 299, 300]);
    expect(await alice.request({ type: 'history', conversationId, limit: 5, beforeSeq: 1 })).toEqual({ messages: [], lastSeq: TOTAL, firstSeq: 1 });
    const middle = await bob.request({ type: 'history', conversationId, limit: 3, beforeSeq: 151 });
    expect(middle.messages.map((m) => m.seq)).toEqual([148, 149, 150]);
  });

  it('[HIST-4] a new message moves the head; the next page picks it up', async () => {
    const ack = await bob.send(conversationId, 'one more');
    expect(ack.seq).toBe(TOTAL + 1);
    const page = await alice.request({ type: 'history', conversationId, limit: 2 });
    expect(page.lastSeq).toBe(TOTAL + 1);
    expect(page.messages.map((m) => m.seq)).toEqual([TOTAL, TOTAL + 1]);
  });
});
