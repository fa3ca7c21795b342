/**
 * The schema, written once for both databases: numbered, append-only migrations. Each runs
 * once, in order, inside a transaction. Never edit a migration that has shipped; add the next
 * number. SQLite records the last one applied in `user_version` (`../sqlite/sqlite-db.ts`),
 * PostgreSQL in `schema_migrations` (`../postgres/pg-migrations.ts`).
 *
 * Written in the SQL both accept, with two words that differ: `INT64` for integers that hold
 * ms timestamps, seqs, pts and counts (SQLite's INTEGER is 64-bit, PostgreSQL's BIGINT), and
 * `WITHOUT_ROWID` after tables keyed by their primary key alone (SQLite only). Small codes and
 * flags (`status`, `is_top`) are INTEGER on both, so the shared SQL compares them with `= 1`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export type Dialect = 'sqlite' | 'postgres';

const WORDS: Record<Dialect, { INT64: string; WITHOUT_ROWID: string }> = {
  sqlite: { INT64: 'INTEGER', WITHOUT_ROWID: ' WITHOUT ROWID' },
  postgres: { INT64: 'BIGINT', WITHOUT_ROWID: '' },
};

/** The migrations as `dialect` runs them. */
export function migrationsFor(dialect: Dialect): readonly Migration[] {
  const words = WORDS[dialect];
  return SHARED.map((m) => ({
    ...m,
    sql: m.sql.replace(/\bINT64\b/g, words.INT64).replace(/ WITHOUT_ROWID\b/g, words.WITHOUT_ROWID),
  }));
}

const SHARED: readonly Migration[] = [
  {
    version: 1,
    name: 'one-to-one chat: users, devices, conversations, messages, inbox',
    sql: `
      CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    INT64 NOT NULL,
        -- the user's event sequence (seed: 用户消息链): last pts handed out
        pts           INT64 NOT NULL DEFAULT 0,
        -- inbox events with pts <= inbox_floor were pruned (retention); older cursors get tooLong
        inbox_floor   INT64 NOT NULL DEFAULT 0
      );

      CREATE TABLE devices (
        id             TEXT PRIMARY KEY,
        user_id        TEXT NOT NULL REFERENCES users(id),
        name           TEXT NOT NULL,
        token_hash     TEXT NOT NULL UNIQUE,
        created_at     INT64 NOT NULL,
        last_active_at INT64 NOT NULL,
        expires_at     INT64 NOT NULL,
        revoked_at     INT64
      );
      CREATE INDEX devices_by_user ON devices(user_id);

      -- seed: 会话表
      CREATE TABLE conversations (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
        last_seq        INT64 NOT NULL DEFAULT 0,
        created_at      INT64 NOT NULL,
        recent_msg_time INT64
      );

      -- seed: 用户会话链 (user <-> conversation): read position, settings, join cursor
      CREATE TABLE user_conversations (
        user_id         TEXT NOT NULL REFERENCES users(id),
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        join_seq        INT64 NOT NULL DEFAULT 0,
        last_read_seq   INT64 NOT NULL DEFAULT 0,
        delivered_seq   INT64 NOT NULL DEFAULT 0,
        notify_type     TEXT NOT NULL DEFAULT 'all',
        is_top          INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user_id, conversation_id)
      ) WITHOUT_ROWID;
      CREATE INDEX user_conversations_by_conversation ON user_conversations(conversation_id);

      -- seed: 消息表 + 会话消息链. The body is stored once per conversation (read diffusion);
      -- UNIQUE (conversation_id, seq) is the conversation's message chain.
      CREATE TABLE messages (
        msg_id          TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        seq             INT64 NOT NULL,
        sender_id       TEXT NOT NULL REFERENCES users(id),
        client_msg_id   TEXT NOT NULL,
        content         TEXT NOT NULL,
        status          INTEGER NOT NULL DEFAULT 0,
        send_time       INT64 NOT NULL,
        UNIQUE (conversation_id, seq),
        UNIQUE (sender_id, conversation_id, client_msg_id)
      );

      -- seed: 用户消息链 / offline inbox: small events that point at messages (write diffusion)
      CREATE TABLE inbox (
        user_id         TEXT NOT NULL,
        pts             INT64 NOT NULL,
        kind            TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        seq             INT64,
        payload         TEXT,
        created_at      INT64 NOT NULL,
        PRIMARY KEY (user_id, pts)
      ) WITHOUT_ROWID;
      CREATE INDEX inbox_by_time ON inbox(created_at);
    `,
  },
  {
    version: 2,
    name: 'groups: names, announcements, roles, leaving, system lines',
    sql: `
      ALTER TABLE conversations ADD COLUMN name TEXT;
      ALTER TABLE conversations ADD COLUMN announcement TEXT NOT NULL DEFAULT '';
      ALTER TABLE conversations ADD COLUMN member_count INT64 NOT NULL DEFAULT 0;
      UPDATE conversations SET member_count =
        (SELECT COUNT(*) FROM user_conversations uc WHERE uc.conversation_id = conversations.id);
      ALTER TABLE user_conversations ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
      -- the seq of the line that says the user left or was removed; NULL while a member
      ALTER TABLE user_conversations ADD COLUMN left_seq INT64;
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
      ALTER TABLE user_conversations ADD COLUMN receipt_seq INT64 NOT NULL DEFAULT 0;
      UPDATE user_conversations SET receipt_seq = last_read_seq;
    `,
  },
  {
    version: 5,
    name: 'drafts: unsent text per user and conversation, synced between their devices',
    sql: `
      ALTER TABLE user_conversations ADD COLUMN draft TEXT;
      ALTER TABLE user_conversations ADD COLUMN draft_at INT64;
    `,
  },
  {
    version: 6,
    name: 'replies: the seq of the message a message quotes',
    sql: `
      ALTER TABLE messages ADD COLUMN reply_to_seq INT64;
    `,
  },
  {
    version: 7,
    name: 'presence: when a user was last connected and active',
    sql: `
      ALTER TABLE users ADD COLUMN last_seen_at INT64;
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
  {
    version: 9,
    name: 'recalls numbered per conversation, so a device that missed some catches up by number',
    sql: `
      -- how many messages of the conversation have been recalled: a cursor, like last_seq for messages
      ALTER TABLE conversations ADD COLUMN recalls INT64 NOT NULL DEFAULT 0;
      -- the conversation's recall counter when this message was recalled; NULL while it stands
      ALTER TABLE messages ADD COLUMN recall_no INT64;
      UPDATE messages SET recall_no = (
        SELECT COUNT(*) FROM messages r
        WHERE r.conversation_id = messages.conversation_id AND r.recalled_by IS NOT NULL AND r.seq <= messages.seq
      ) WHERE recalled_by IS NOT NULL;
      UPDATE conversations SET recalls =
        (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id AND m.recalled_by IS NOT NULL);
      CREATE INDEX messages_by_recall ON messages(conversation_id, recall_no) WHERE recall_no IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: 'a group may share its last lines with members who join',
    sql: `
      -- how many lines before the join line a new member may read (the seed's 查看加入群之前若干条消息); 0: none
      ALTER TABLE conversations ADD COLUMN history_on_join INT64 NOT NULL DEFAULT 0;
    `,
  },
];
