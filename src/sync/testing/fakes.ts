/**
 * Test doubles for the sync engine: a manual clock (timers fire only when a test advances
 * it) and a scripted transport whose "server" is a list of inbox entries and a send handler.
 */
import type { InboxEntry, Message, RequestInput, RequestType, ResultOf } from '../../protocol';
import { TidingsError } from '../../protocol';
import type { Clock } from '../sync-engine';
import { TransportError, type Transport } from '../transport';

export class ManualClock implements Clock {
  now = 1_700_000_000_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = until;
  }
}

type Handler = (req: RequestInput) => unknown;

export class ScriptedTransport implements Transport {
  connected = true;
  readonly log: RequestInput[] = [];
  /** The server's inbox for the user under test. */
  entries: InboxEntry[] = [];
  inboxFloor = 0;
  bootstrapConversations: ResultOf<'bootstrap'>['conversations'] = [];
  /** Answers to `send`, in order; when empty, sends are acked with the next seq. */
  sendScript: Array<'timeout' | 'disconnected' | TidingsError | 'ok'> = [];
  private seq = 0;
  /** Requests wait on this gate when set, so a test can interleave pushes with a pull. */
  gate: Promise<void> | null = null;
  extra: Partial<Record<RequestType, Handler>> = {};

  get pts(): number {
    return this.entries.at(-1)?.pts ?? 0;
  }

  async request<T extends RequestType>(typed: Extract<RequestInput, { type: T }>): Promise<ResultOf<T>> {
    const req: RequestInput = typed;
    if (!this.connected) throw new TransportError('disconnected');
    this.log.push(req);
    if (this.gate) await this.gate;
    const custom = this.extra[req.type];
    if (custom) return custom(req) as ResultOf<T>;
    switch (req.type) {
      case 'bootstrap':
        return { pts: this.pts, conversations: this.bootstrapConversations, users: [] } as ResultOf<T>;
      case 'sync': {
        if (req.sincePts < this.inboxFloor) return { status: 'tooLong', pts: this.pts } as ResultOf<T>;
        const after = this.entries.filter((e) => e.pts > req.sincePts);
        const page = after.slice(0, req.limit ?? 200);
        return { status: 'ok', entries: page, pts: this.pts, more: page.length < after.length } as ResultOf<T>;
      }
      case 'send': {
        const step = this.sendScript.shift() ?? 'ok';
        if (step === 'timeout') throw new TransportError('timeout');
        if (step === 'disconnected') throw new TransportError('disconnected');
        if (step instanceof TidingsError) throw step;
        this.seq++;
        return { msgId: String(1000 + this.seq), conversationId: req.conversationId, seq: this.seq, serverTime: 1_700_000_000_000 + this.seq } as ResultOf<T>;
      }
      case 'delivered':
        return {} as ResultOf<T>;
      default:
        throw new TidingsError('bad_request', `unscripted request ${req.type}`);
    }
  }

  sentClientIds(): string[] {
    return this.log.flatMap((r) => (r.type === 'send' ? [r.clientMsgId] : []));
  }
}

export const CONV = 'd_1_2';
export const ME = '1';
export const PEER = '2';

export function message(seq: number, senderId = PEER, text = `m${seq}`): Message {
  return {
    msgId: String(5000 + seq),
    conversationId: CONV,
    seq,
    senderId,
    clientMsgId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    text,
    serverTime: 1_700_000_000_000 + seq,
    system: null,
    recalledBy: null,
    replyTo: null,
    mentions: null,
  };
}

export function messageEntry(pts: number, seq = pts, senderId = PEER): InboxEntry {
  return { pts, event: { type: 'message', message: message(seq, senderId) } };
}

export function conversationEntry(pts: number): InboxEntry {
  return {
    pts,
    event: {
      type: 'conversation',
      conversation: {
        id: CONV,
        kind: 'direct',
        name: null,
        announcement: '',
        memberIds: [ME, PEER],
        memberCount: 2,
        role: 'member',
        firstSeq: 1,
        leftSeq: null,
        inboxFanout: true,
        lastSeq: 0,
        lastMessage: null,
        recalls: 0,
        historyOnJoin: 0,
        lastReadSeq: 0,
        unread: { count: 0, asOf: 0, readSeq: 0 },
        peerDeliveredSeq: 0,
        peerReadSeq: 0,
        draft: null,
        pinned: false,
        notify: 'all',
        createdAt: 1_700_000_000_000,
      },
      users: [
        { id: ME, username: 'me', displayName: 'Me' },
        { id: PEER, username: 'peer', displayName: 'Peer' },
      ],
    },
  };
}

/** Lets pending promise callbacks (and fake-indexeddb's scheduled work) run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
