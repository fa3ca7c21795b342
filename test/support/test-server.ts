/**
 * A real Tidings server for integration tests: `startServer` on 127.0.0.1, port 0, a temp
 * SQLite file, no web client. A `Harness` owns everything a test file starts (servers,
 * sockets, temp directories) and stops it all in `afterAll`.
 */
import './quiet-logs';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app';
import type { ServerConfig } from '../../server/config';
import type { Storage } from '../../server/storage/storage';
import { createAccount, signIn } from './http';
import { connect, type TestClient } from './socket-client';

export interface TestServer extends RunningServer {
  config: ServerConfig;
}

export function testConfig(dataFile: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    dataFile,
    databaseUrl: null,
    databaseSchema: null,
    redisUrl: null,
    redisPrefix: 'tidings-test',
    webRoot: null,
    nodeId: 1,
    sessionTtlMs: 86_400_000,
    inboxRetentionMs: 30 * 86_400_000,
    // Generous by default so only the rate-limit tests meet the limiter.
    ratePoints: 100_000,
    rateWindowS: 10,
    userRatePoints: 300_000,
    connectsPerMinute: 10_000,
    authPerMinute: 20,
    inboxFanoutMax: 500,
    groupMembersMax: 10_000,
    recallWindowMs: 120_000,
    sessionSweepMs: 30_000,
    allowedOrigins: [],
    publicHosts: [],
    ...overrides,
  };
}

/** Every table's rows in a fixed order: two equal snapshots mean nothing was written. */
export type DbSnapshot = Record<string, unknown[]>;

const TABLES = {
  users: 'id',
  devices: 'id',
  conversations: 'id',
  user_conversations: 'user_id, conversation_id',
  messages: 'conversation_id, seq',
  inbox: 'user_id, pts',
} as const;

/** Reads the server's database file directly (read-only), beside the running server. */
export function dbSnapshot(file: string): DbSnapshot {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const out: DbSnapshot = {};
    for (const [table, order] of Object.entries(TABLES)) out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
    return out;
  } finally {
    db.close();
  }
}

export function countRows(file: string, table: keyof typeof TABLES): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export class Harness {
  private readonly dir = mkdtempSync(join(tmpdir(), 'tidings-it-'));
  private readonly servers = new Set<TestServer>();
  private readonly clients = new Set<TestClient>();
  private files = 0;

  /** A fresh database file path in this harness's temp directory. */
  newDataFile(): string {
    return join(this.dir, `tidings-${++this.files}.db`);
  }

  /**
   * Starts a server; on `dataFile` to reopen an existing database (a restart). `storage`, opened
   * by the caller on `config.dataFile`, replaces the one the server would open.
   */
  async start(overrides: Partial<ServerConfig> = {}, storage?: (config: ServerConfig) => Storage): Promise<TestServer> {
    const config = testConfig(overrides.dataFile ?? this.newDataFile(), overrides);
    const running = await startServer(config, storage?.(config));
    const server: TestServer = { ...running, config };
    this.servers.add(server);
    return server;
  }

  /** Stops one server (closing its sockets, HTTP listener and database). */
  async stop(server: TestServer): Promise<void> {
    if (!this.servers.delete(server)) return;
    await server.close();
  }

  /** Connects a device and keeps it for cleanup. */
  async connect(server: { url: string }, token: string): Promise<TestClient> {
    const client = await connect(server.url, token);
    this.clients.add(client);
    return client;
  }

  /** A new user with one connected device. */
  async user(server: TestServer, username: string) {
    const session = await createAccount(server.url, username);
    const client = await this.connect(server, session.token);
    return { session, client, userId: session.user.id };
  }

  /** Another signed-in, connected device of an existing user. */
  async otherDevice(server: TestServer, username: string) {
    const session = await signIn(server.url, username);
    const client = await this.connect(server, session.token);
    return { session, client };
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.close();
    this.clients.clear();
    for (const s of [...this.servers]) await this.stop(s);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
