/** Server settings, read once from the environment (the log level is read by log.ts: TIDINGS_LOG_LEVEL). */
import { resolve } from 'node:path';
import { LIMITS } from '../src/protocol';

export interface ServerConfig {
  host: string;
  port: number;
  dataFile: string;
  /** PostgreSQL instead of the SQLite file (several nodes share one database); null: the file. */
  databaseUrl: string | null;
  /** The PostgreSQL schema to use (created and migrated if missing); null: the server's default. */
  databaseSchema: string | null;
  /** Redis shared by several nodes (pushes across nodes, shared limits); null: one node. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so deployments sharing a Redis stay apart. */
  redisPrefix: string;
  /** Built web client to serve at `/`; absent in tests that need only the API. */
  webRoot: string | null;
  nodeId: number;
  sessionTtlMs: number;
  inboxRetentionMs: number;
  /** Requests per socket per `rateWindowS` seconds. */
  ratePoints: number;
  rateWindowS: number;
  /** Requests per user (all devices together) per `rateWindowS` seconds. */
  userRatePoints: number;
  /** New socket connections per client address per minute. */
  connectsPerMinute: number;
  /** Groups with at least this many members get no per-message inbox events. */
  inboxFanoutMax: number;
  /** Members one group may have. */
  groupMembersMax: number;
  /** How long a sender may recall their own message. */
  recallWindowMs: number;
  /** Sign-in and sign-up attempts per client address per minute. */
  authPerMinute: number;
  /** How often open sockets' sessions are re-validated. */
  sessionSweepMs: number;
  /** Origins allowed to open a socket or call the API from a browser (besides same-origin). */
  allowedOrigins: string[];
  /** Host names (with port, or without for any) this server answers to besides its loopback names. */
  publicHosts: string[];
}

const int = (v: string | undefined, fallback: number) => {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isSafeInteger(n) ? n : fallback;
};

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: '127.0.0.1',
    port: int(env.PORT, 3000),
    dataFile: resolve(env.TIDINGS_DATA ?? './data/tidings.db'),
    databaseUrl: env.TIDINGS_DATABASE_URL || null,
    databaseSchema: env.TIDINGS_DATABASE_SCHEMA || null,
    redisUrl: env.TIDINGS_REDIS_URL || null,
    redisPrefix: env.TIDINGS_REDIS_PREFIX || 'tidings',
    webRoot: env.TIDINGS_WEB_ROOT === '' ? null : resolve(env.TIDINGS_WEB_ROOT ?? './out/renderer'),
    nodeId: int(env.TIDINGS_NODE_ID, 1),
    sessionTtlMs: int(env.TIDINGS_SESSION_TTL_DAYS, 90) * 86_400_000,
    inboxRetentionMs: int(env.TIDINGS_INBOX_RETENTION_DAYS, 30) * 86_400_000,
    ratePoints: int(env.TIDINGS_RATE_POINTS, 200),
    rateWindowS: int(env.TIDINGS_RATE_WINDOW_S, 10),
    userRatePoints: int(env.TIDINGS_USER_RATE_POINTS, 600),
    connectsPerMinute: int(env.TIDINGS_CONNECTS_PER_MINUTE, 600),
    authPerMinute: int(env.TIDINGS_AUTH_PER_MINUTE, 20),
    inboxFanoutMax: int(env.TIDINGS_INBOX_FANOUT_MAX, 500),
    groupMembersMax: int(env.TIDINGS_GROUP_MEMBERS_MAX, LIMITS.groupMembersMax),
    recallWindowMs: int(env.TIDINGS_RECALL_WINDOW_S, 120) * 1000,
    sessionSweepMs: int(env.TIDINGS_SESSION_SWEEP_S, 30) * 1000,
    allowedOrigins: (env.TIDINGS_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    publicHosts: (env.TIDINGS_PUBLIC_HOSTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

/** Where the data lives, for people to read: the file, or PostgreSQL without its password. */
export function describeData(config: Pick<ServerConfig, 'dataFile' | 'databaseUrl' | 'databaseSchema'>): string {
  if (!config.databaseUrl) return config.dataFile;
  try {
    const url = new URL(config.databaseUrl);
    url.password = '';
    return `PostgreSQL ${url.host}${url.pathname}${config.databaseSchema ? `, schema ${config.databaseSchema}` : ''}`;
  } catch {
    return 'PostgreSQL';
  }
}
