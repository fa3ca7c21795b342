/**
 * A real Tidings server in a child process (`node --import tsx server/main.ts`), so the
 * history checker can SIGKILL it and start it again on the same SQLite file and port.
 * Node runs the server itself (not the tsx CLI, which would put it in a grandchild that a
 * signal to the child would not reach).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ServerMessage } from './analyze';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

/** A port that is free now (the server binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type StopMode = 'term' | 'kill';

/**
 * How a server process ended without being asked to. `planned` only when a crash point was
 * armed for that process, the server said it was crashing at that very point, and it died of
 * SIGKILL: anything else (an uncaught exception, an abort, another signal) is a real crash.
 */
export interface ServerExit {
  planned: boolean;
  /** The armed crash point's name (without `:n`), when one was armed. */
  armed: string | null;
  /** The point the server said it was crashing at, if it said so. */
  point: string | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of the server's output, for the log. */
  detail: string;
}

/** A start that failed because the server died while starting (planned or not). */
export class ExitedWhileStarting extends Error {
  constructor(readonly exit: ServerExit) {
    super(`server exited while starting (${exit.planned ? `crash point ${exit.point}` : `exit code ${exit.code} signal ${exit.signal}`}): ${exit.detail}`);
    this.name = 'ExitedWhileStarting';
  }
}

/** The line `server/util/crash-points.ts` writes just before it SIGKILLs the process. */
const CRASH_LINE = /tidings: crashing at ([a-z-]+) \(hit \d+\)/;

export function classifyExit(armedSpec: string | null, code: number | null, signal: NodeJS.Signals | null, output: string): ServerExit {
  const armed = armedSpec?.split(':')[0] ?? null;
  const point = CRASH_LINE.exec(output)?.[1] ?? null;
  const planned = armed !== null && point === armed && signal === 'SIGKILL';
  return { planned, armed, point, code, signal, detail: output.trim().slice(-300) };
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private output = '';
  /** Spawns so far (1 after the first start). */
  spawns = 0;
  /** Every exit the server was not asked for, in order. */
  readonly exits: ServerExit[] = [];
  /** Called when the server exits without being asked to: a crash point fired, or a real crash. */
  onUnexpectedExit: (exit: ServerExit) => void = () => {};

  constructor(
    readonly port: number,
    readonly dataFile: string,
    /** Extra environment for every start (e.g. `TIDINGS_INBOX_RETENTION_DAYS`). */
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Starts the server; `crashAt` arms `TIDINGS_CRASH_AT` for this process only. */
  async start(crashAt: string | null = null, timeoutMs = 60_000): Promise<void> {
    if (this.child) throw new Error('server already running');
    this.output = '';
    this.stopping = false;
    this.spawns++;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(this.port),
      TIDINGS_DATA: this.dataFile,
      TIDINGS_WEB_ROOT: '',
      TIDINGS_RATE_POINTS: '100000',
      TIDINGS_AUTH_PER_MINUTE: '10000',
      TIDINGS_LOG_LEVEL: 'warn',
      ...this.extraEnv,
    };
    delete env.TIDINGS_CRASH_AT;
    if (crashAt) env.TIDINGS_CRASH_AT = crashAt;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const ended: { exit: ServerExit | null } = { exit: null };
    let starting = true;
    // 'close' comes after the pipes are drained, so the crash line (written just before the
    // SIGKILL) has been read by then; a grandchild holding the pipe must not delay the verdict
    // forever, hence the cap.
    const drained = new Promise<void>((resolve) => {
      child.once('close', () => resolve());
      child.once('exit', () => setTimeout(resolve, 3_000).unref());
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.stopping) return;
      void drained.then(() => {
        const exit = classifyExit(crashAt, code, signal, this.output);
        ended.exit = exit;
        this.exits.push(exit);
        // An exit while starting makes `start` reject instead.
        if (!starting) this.onUnexpectedExit(exit);
      });
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ended.exit) {
        starting = false;
        throw new ExitedWhileStarting(ended.exit);
      }
      if (Date.now() > deadline) throw new Error(`server did not answer /healthz in ${timeoutMs} ms: ${this.output}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok && this.child === child) {
          starting = false;
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Resolves with the exit numbered `index` (0-based) among those the server was not asked for;
   * by default the next one after those seen so far.
   */
  nextExit(timeoutMs = 30_000, index = this.exits.length): Promise<ServerExit> {
    const seen = index;
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const exit = this.exits[seen];
        if (exit) {
          clearInterval(poll);
          resolve(exit);
        } else if (Date.now() - started > timeoutMs) {
          clearInterval(poll);
          reject(new Error(`the server did not exit within ${timeoutMs} ms`));
        }
      }, 20);
    });
  }

  /**
   * Kills the server without saying so, as a bug (or the OS) would: the exit counts as
   * unplanned even when a crash point is armed. For tests that show a real crash is caught.
   */
  killUnannounced(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  /** Stops the server: SIGTERM (graceful close) or SIGKILL; resolves once it has exited. */
  async stop(mode: StopMode): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }
}

export interface ServerState {
  /** conversation id -> its current members (left_seq NULL). */
  members: Map<string, string[]>;
  /** conversation id -> member id -> the first seq that member may read (max(1, join_seq)). */
  firstSeq: Map<string, Map<string, number>>;
  kind: Map<string, 'direct' | 'group'>;
  lastSeq: Map<string, number>;
  pts: Map<string, number>;
  messages: ServerMessage[];
  /** conversation id -> member id -> their read position and their receipt (what others see as read). */
  reads: Map<string, Map<string, { lastReadSeq: number; receiptSeq: number }>>;
}

/** The server's database, read-only beside the running server: members, heads, pts, messages. */
export function readServer(file: string): ServerState {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const members = new Map<string, string[]>();
    const firstSeq = new Map<string, Map<string, number>>();
    const rows0 = db.prepare('SELECT user_id, conversation_id, join_seq, last_read_seq, receipt_seq FROM user_conversations WHERE left_seq IS NULL').all() as {
      user_id: string;
      conversation_id: string;
      join_seq: number;
      last_read_seq: number;
      receipt_seq: number;
    }[];
    const reads = new Map<string, Map<string, { lastReadSeq: number; receiptSeq: number }>>();
    for (const r of rows0) {
      const rr = reads.get(r.conversation_id) ?? new Map<string, { lastReadSeq: number; receiptSeq: number }>();
      rr.set(r.user_id, { lastReadSeq: r.last_read_seq, receiptSeq: r.receipt_seq });
      reads.set(r.conversation_id, rr);
      members.set(r.conversation_id, [...(members.get(r.conversation_id) ?? []), r.user_id]);
      const f = firstSeq.get(r.conversation_id) ?? new Map<string, number>();
      f.set(r.user_id, Math.max(1, r.join_seq));
      firstSeq.set(r.conversation_id, f);
    }
    const convs = db.prepare('SELECT id, kind, last_seq FROM conversations').all() as { id: string; kind: 'direct' | 'group'; last_seq: number }[];
    const lastSeq = new Map(convs.map((r) => [r.id, r.last_seq]));
    const kind = new Map(convs.map((r) => [r.id, r.kind]));
    const pts = new Map((db.prepare('SELECT id, pts FROM users').all() as { id: string; pts: number }[]).map((r) => [r.id, r.pts]));
    const rows = db.prepare('SELECT conversation_id, seq, sender_id, client_msg_id, content, system IS NOT NULL AS sys, recalled_by FROM messages').all() as {
      conversation_id: string;
      seq: number;
      sender_id: string;
      client_msg_id: string;
      content: string;
      sys: number;
      recalled_by: string | null;
    }[];
    const messages = rows.map((r) => ({
      conversationId: r.conversation_id,
      seq: r.seq,
      senderId: r.sender_id,
      clientMsgId: r.client_msg_id,
      text: r.content,
      system: r.sys === 1,
      recalledBy: r.recalled_by,
    }));
    return { members, firstSeq, kind, lastSeq, pts, messages, reads };
  } finally {
    db.close();
  }
}
