/**
 * Messages between the bench (parent) and a server it forked. Both servers, Tidings and the
 * bare relay, answer the same way: `ready` with their URL and one sign-in per account.
 */

export interface BenchAccount {
  username: string;
  /** Socket handshake token: a real session token for Tidings, the user name for the relay. */
  token: string;
}

/** Big-group accounts (server-child.ts with a member count): the group's owner and its members. */
export interface GroupAccounts {
  owner: BenchAccount;
  members: BenchAccount[];
}

export type ChildMessage =
  | { type: 'ready'; url: string; accounts: BenchAccount[]; group?: GroupAccounts }
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

export const groupOwnerName = 'bench_owner';
/** Big-group member `i` (0-based). */
export const memberName = (i: number) => `bench_m${String(i).padStart(4, '0')}`;

/** Reads the big-group member count a server child was started with (`argv[3]`, default 0). */
export function memberCountFromArgv(argv: readonly string[]): number {
  if (argv[3] === undefined) return 0;
  const n = Number(argv[3]);
  if (!Number.isSafeInteger(n) || n < 0 || n > 10_000) throw new Error(`member count must be 0..10000, got ${argv[3]}`);
  return n;
}

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

// ---------------------------------------------------------------- members child (members-child.ts)

/** A clock shared by every process on the machine (CLOCK_MONOTONIC), in milliseconds. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** CPU time (user + system) this process has used, ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export type ToMembers =
  | { type: 'connect'; url: string; accounts: BenchAccount[]; concurrency: number }
  /** Reply with `arrivals` once `count` distinct members have the message, or after `timeoutMs`. */
  | { type: 'await'; clientMsgId: string; count: number; timeoutMs: number }
  | { type: 'stop' };

/** How one message reached this child's members (times from `monoMs`). */
export interface Arrivals {
  clientMsgId: string;
  /** Distinct members that got it. */
  count: number;
  /** As an inbox `push` event / as a `room` event. */
  push: number;
  room: number;
  /** Times a member got it more than once. */
  duplicates: number;
  first: number;
  last: number;
  /** CPU time this child had used so far (user + system), ms. */
  cpuMs: number;
}

export type FromMembers =
  | { type: 'connected'; count: number; ms: number; rssMiB: number; cpuMs: number }
  | ({ type: 'arrivals' } & Arrivals)
  | { type: 'problem'; message: string }
  | { type: 'failed'; message: string };
