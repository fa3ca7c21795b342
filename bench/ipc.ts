/**
 * Messages between the bench (parent) and a server it forked. Both servers, Tidings and the
 * bare relay, answer the same way: `ready` with their URL and one sign-in per account.
 */

export interface BenchAccount {
  username: string;
  /** Socket handshake token: a real session token for Tidings, the user name for the relay. */
  token: string;
}

export type ChildMessage =
  | { type: 'ready'; url: string; accounts: BenchAccount[] }
  | { type: 'failed'; message: string };

export type ParentMessage = { type: 'stop' };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m.type === 'failed') return typeof m.message === 'string';
  return m.type === 'ready' && typeof m.url === 'string' && Array.isArray(m.accounts);
}

export const isStop = (value: unknown): value is ParentMessage =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'stop';

/** User names of the bench: sender `i` talks to receiver `i`. */
export const senderName = (i: number) => `bench_s${String(i).padStart(3, '0')}`;
export const receiverName = (i: number) => `bench_r${String(i).padStart(3, '0')}`;

/** Reads the pair count a child was started with (`argv[2]`). */
export function pairCountFromArgv(argv: readonly string[]): number {
  const n = Number(argv[2]);
  if (!Number.isSafeInteger(n) || n < 1 || n > 500) throw new Error(`pair count must be 1..500, got ${argv[2]}`);
  return n;
}

/** Common child lifecycle: stop on the parent's request, exit if the parent goes away. */
export function serveUntilStopped(close: () => Promise<void>): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    try {
      await close();
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (m: unknown) => {
    if (isStop(m)) void stop(0);
  });
  process.on('disconnect', () => void stop(1));
}

/** Tells the parent why the child could not start, then exits. */
export function reportFailure(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  console.error(message);
  if (process.send) process.send({ type: 'failed', message } satisfies ChildMessage, () => process.exit(1));
  else process.exit(1);
}
