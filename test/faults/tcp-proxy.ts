/**
 * A loopback TCP proxy for fault tests: it forwards bytes between clients and a server and,
 * on command, delays them, stalls them (holds everything, connections stay open), or cuts
 * every connection in the middle of a frame (forwards half of the next chunk, then resets).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private delayMs = 0;
  private stalled = false;
  private cutPending = false;
  port = 0;
  cuts = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Holds every byte in both directions until `resume`; connections stay open. */
  stall(): void {
    this.stalled = true;
    for (const [a, b] of this.pairs) {
      a.pause();
      b.pause();
    }
  }

  resume(): void {
    this.stalled = false;
    for (const [a, b] of this.pairs) {
      a.resume();
      b.resume();
    }
  }

  /** The next chunk in either direction is forwarded half-way, then every connection is reset. */
  cutMidFrame(): void {
    this.cutPending = true;
  }

  /** Resets every connection now. */
  cutAll(): void {
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
    this.pairs.clear();
    this.cuts++;
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    if (this.stalled) {
      client.pause();
      upstream.pause();
    }
    const pipe = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (this.cutPending) {
          this.cutPending = false;
          to.write(chunk.subarray(0, Math.max(1, chunk.length >> 1)), () => this.cutAll());
          return;
        }
        if (this.delayMs > 0) {
          from.pause();
          setTimeout(() => {
            if (!to.destroyed) to.write(chunk);
            if (!this.stalled) from.resume();
          }, this.delayMs);
        } else {
          to.write(chunk);
        }
      });
    };
    pipe(client, upstream);
    pipe(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
