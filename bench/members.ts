/** The parent's side of a members child (members-child.ts): connect its share, await arrivals. */
import type { ChildProcess } from 'node:child_process';
import { forkBenchChild } from './child';
import { withTimeout } from './concurrency';
import type { Arrivals, BenchAccount, FromMembers, ToMembers } from './ipc';

/** Member sockets a members child opens at a time. */
export const CONNECT_CONCURRENCY = 50;

export interface Connected {
  count: number;
  ms: number;
  rssMiB: number;
  cpuMs: number;
}

export class MembersChild {
  readonly problems: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly pending = new Map<string, (a: Arrivals) => void>();
  private connected: { resolve: (v: Connected) => void; reject: (e: Error) => void } | null = null;

  constructor(readonly label: string) {
    const forked = forkBenchChild({ label, script: './members-child.ts', args: [] });
    this.child = forked.child;
    this.exited = forked.exited;
    this.child.on('message', (m: FromMembers) => {
      if (m.type === 'arrivals') {
        const { type: _type, ...arrivals } = m;
        this.pending.get(m.clientMsgId)?.(arrivals);
        this.pending.delete(m.clientMsgId);
      } else if (m.type === 'connected') {
        this.connected?.resolve(m);
      } else if (m.type === 'failed') {
        this.connected?.reject(new Error(`${label}: ${m.message}`));
      } else if (m.type === 'problem') {
        this.problems.push(`${label}: ${m.message}`);
      }
    });
    void this.exited.then((code) => {
      this.connected?.reject(new Error(`${label} exited with code ${code}`));
      if (code !== 0) this.problems.push(`${label} exited with code ${code}`);
    });
  }

  private send(m: ToMembers): void {
    if (this.child.connected) this.child.send(m);
  }

  connect(url: string, accounts: BenchAccount[], timeoutMs: number): Promise<Connected> {
    const done = new Promise<Connected>((resolve, reject) => {
      this.connected = { resolve, reject };
    });
    this.send({ type: 'connect', url, accounts, concurrency: CONNECT_CONCURRENCY });
    return withTimeout(done, timeoutMs, `${this.label}: ${accounts.length} members did not connect in ${timeoutMs} ms`);
  }

  /** Resolves once `count` of this child's members have the message (or after `timeoutMs`, with fewer). */
  arrivals(clientMsgId: string, count: number, timeoutMs: number): Promise<Arrivals> {
    const p = new Promise<Arrivals>((resolve) => this.pending.set(clientMsgId, resolve));
    this.send({ type: 'await', clientMsgId, count, timeoutMs });
    return withTimeout(p, timeoutMs + 5_000, `${this.label} did not answer for ${clientMsgId}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'stop' });
    try {
      await withTimeout(this.exited, 5_000, `${this.label} did not stop`);
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
