/**
 * The PostgreSQL twin of `../sqlite/migrations.ts`: the same versions, names, tables, columns,
 * keys and indexes, so one storage logic runs on both. Numbered and append-only like those:
 * add the next version to both lists together, never edit one that has shipped.
 *
 * Translation: INTEGER columns holding ms timestamps, seq, pts or counts are BIGINT (SQLite's
 * INTEGER is 64-bit; PostgreSQL's is 32-bit); small codes and flags (`status`, `is_top`) stay
 * INTEGER so the shared SQL compares them with `= 1`; `WITHOUT ROWID` has no equivalent and
 * is dropped. The applied versions are rows of `schema_migrations`, not `user_version`.
 */
import type { ClientBase } from 'pg';
import type { Migration } from '../sqlite/migrations';
import type { PgDb } from './pg-db';

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'one-to-one chat: users, devices, conversations, messages, inbox',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    BIGINT NOT NULL,
        -- the user's event sequence (seed: 用户消息链): last pts handed out
        pts           BIGINT NOT NULL DEFAULT 0,
        -- inbox events with pts <= inbox_floor were pruned (retention); older cursors get tooLong
        inbox_floor   BIGINT NOT NULL DEFAULT 0
      );

      CREATE TABLE devices (
        id             TEXT PRIMARY KEY,
        user_id        TEXT NOT NULL REFERENCES users(id),
        name           TEXT NOT NULL,
        token_hash     TEXT NOT NULL UNIQUE,
        created_at     BIGINT NOT NULL,
        last_active_at BIGINT NOT NULL,
        expires_at     BIGINT NOT NULL,
        revoked_at     BIGINT
      );
      CREATE INDEX devices_by_user ON devices(user_id);

      -- seed: 会话表
      CREATE TABLE conversations (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
        last_seq        BIGINT NOT NULL DEFAULT 0,
        created_at      BIGINT NOT NULL,
        recent_msg_time BIGINT
      );

      -- seed: 用户会话链 (user <-> conversation): read position, settings, join cursor
      CREATE TABLE user_conversations (
        user_id         TEXT NOT NULL REFERENCES users(id),
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        join_seq        BIGINT NOT NULL DEFAULT 0,
        last_read_seq   BIGINT NOT NULL DEFAULT 0,
        delivered_seq   BIGINT NOT NULL DEFAULT 0,
        notify_type     TEXT NOT NULL DEFAULT 'all',
        is_top          INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, conversation_id)
      );
      CREATE INDEX user_conversations_by_conversation ON user_conversations(conversation_id);

      -- seed: 消息表 + 会话消息链. The body is stored once per conversation (read diffusion);
      -- UNIQUE (conversation_id, seq) is the conversation's message chain.
      CREATE TABLE messages (
        msg_id          TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        seq             BIGINT NOT NULL,
        sender_id       TEXT NOT NULL REFERENCES users(id),
        client_msg_id   TEXT NOT NULL,
        content         TEXT NOT NULL,
        status          INTEGER NOT NULL DEFAULT 0,
        send_time       BIGINT NOT NULL,
        UNIQUE (conversation_id, seq),
        UNIQUE (sender_id, conversation_id, client_msg_id)
      );

      -- seed: 用户消息链 / offline inbox: small events that point at messages (write diffusion)
      CREATE TABLE inbox (
        user_id         TEXT NOT NULL,
        pts             BIGINT NOT NULL,
        kind            TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        seq             BIGINT,
        payload         TEXT,
        created_at      BIGINT NOT NULL,
        PRIMARY KEY (user_id, pts)
      );
      CREATE INDEX inbox_by_time ON inbox(created_at);
    `,
  },
  {
    version: 2,
    name: 'groups: names, announcements, roles, leaving, system lines',
    sql: `
      ALTER TABLE conversations ADD COLUMN name TEXT;
      ALTER TABLE conversations ADD COLUMN announcement TEXT NOT NULL DEFAULT '';
      ALTER TABLE conversations ADD COLUMN member_count BIGINT NOT NULL DEFAULT 0;
      UPDATE conversations SET member_count =
        (SELECT COUNT(*) FROM user_conversations uc WHERE uc.conversation_id = conversations.id);
      ALTER TABLE user_conversations ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
      -- the seq of the line that says the user left or was removed; NULL while a member
      ALTER TABLE user_conversations ADD COLUMN left_seq BIGINT;
      -- a system line's event (JSON); NULL for a person's message
      ALTER TABLE messages ADD COLUMN system TEXT;
    `,
  },
  {
    version: 3,
    name: 'recall: who recalled a message (its body is erased)',
    sql: `
      ALTER TABLE messages ADD COLUMN recalled_by TEXT;
    `,
  },
  {
    version: 4,
    name: 'read receipts: the highest seq a member has read, apart from their (movable) read position',
    sql: `
      -- last_read_seq drives the member's own unread count and may move back (Mark as unread);
      -- receipt_seq is what others see as read, and only moves forward
      ALTER TABLE user_conversations ADD COLUMN receipt_seq BIGINT NOT NULL DEFAULT 0;
      UPDATE user_conversations SET receipt_seq = last_read_seq;
    `,
  },
  {
    version: 5,
    name: 'drafts: unsent text per user and conversation, synced between their devices',
    sql: `
      ALTER TABLE user_conversations ADD COLUMN draft TEXT;
      ALTER TABLE user_conversations ADD COLUMN draft_at BIGINT;
    `,
  },
  {
    version: 6,
    name: 'replies: the seq of the message a message quotes',
    sql: `
      ALTER TABLE messages ADD COLUMN reply_to_seq BIGINT;
    `,
  },
  {
    version: 7,
    name: 'presence: when a user was last connected and active',
    sql: `
      ALTER TABLE users ADD COLUMN last_seen_at BIGINT;
    `,
  },
  {
    version: 8,
    name: 'mentions in group messages, and each user\'s own settings (do not disturb)',
    sql: `
      -- JSON {userIds, all}; NULL when a message mentions nobody (and once it is recalled)
      ALTER TABLE messages ADD COLUMN mentions TEXT;
      -- JSON Prefs; NULL means the defaults
      ALTER TABLE users ADD COLUMN prefs TEXT;
    `,
  },
];

/**
 * Applies, in order, the migrations not yet recorded in the connection's current schema, each
 * in its own transaction; resolves to the versions it applied. The run holds a session
 * advisory lock keyed by the schema, so nodes starting together migrate once: the others wait,
 * then find nothing to do. Versions recorded that this code does not know (a newer node got
 * there first) are left alone, as the SQLite side does.
 */
export async function migratePg(target: PgDb | ClientBase): Promise<number[]> {
  if ('withSession' in target) return target.withSession((client) => migratePg(client));
  const client = target;
  const schema = (await client.query<{ schema: string | null }>('SELECT current_schema() AS schema')).rows[0]?.schema;
  // pg_advisory_lock(x, NULL) returns NULL without locking, so a missing schema must stop here.
  if (schema == null) throw new Error('no schema to migrate: search_path names no existing schema');
  await client.query("SELECT pg_advisory_lock(hashtext('tidings.migrations'), hashtext($1))", [schema]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows;
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`postgres migration ${m.version} (${m.name}) failed`, { cause: error });
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('tidings.migrations'), hashtext($1))", [schema]);
  }
}
