/**
 * Raw SQLite for context: the transaction a Tidings send commits (dedupe lookup, bump the
 * conversation's seq, one message row, then per member: bump pts + one inbox row), run with
 * better-sqlite3 directly on the server's schema, WAL, synchronous=FULL, one commit each.
 * It is the ceiling for sends/s when every ack waits for its own fsync'd commit.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { migrate } from '../server/storage/sqlite/sqlite-storage';

export interface SqliteResult {
  txPerSec: number;
  transactions: number;
}

export function runRawSqlite(file: string, opts: { conversations: number; durationMs: number; maxTransactions: number }): SqliteResult {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);

    const now = Date.now();
    const conversations: { id: string; sender: string }[] = [];
    db.transaction(() => {
      const user = db.prepare('INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
      const conversation = db.prepare('INSERT INTO conversations (id, kind, created_at) VALUES (?, ?, ?)');
      const member = db.prepare('INSERT INTO user_conversations (user_id, conversation_id, join_seq) VALUES (?, ?, 0)');
      for (let i = 0; i < opts.conversations; i++) {
        const [a, b] = [String(2 * i + 1), String(2 * i + 2)];
        for (const id of [a, b]) user.run(id, `u${id}`, `u${id}`, 'x', now);
        const id = `d_${a}_${b}`;
        conversation.run(id, 'direct', now);
        member.run(a, id);
        member.run(b, id);
        conversations.push({ id, sender: a });
      }
    })();

    const dedupe = db.prepare('SELECT * FROM messages WHERE sender_id = ? AND conversation_id = ? AND client_msg_id = ?');
    const bumpSeq = db.prepare('UPDATE conversations SET last_seq = last_seq + 1, recent_msg_time = ? WHERE id = ? RETURNING last_seq');
    const insertMessage = db.prepare(
      'INSERT INTO messages (msg_id, conversation_id, seq, sender_id, client_msg_id, content, send_time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const members = db.prepare('SELECT user_id FROM user_conversations WHERE conversation_id = ? ORDER BY user_id');
    const bumpPts = db.prepare('UPDATE users SET pts = pts + 1 WHERE id = ? RETURNING pts');
    const insertInbox = db.prepare(
      'INSERT INTO inbox (user_id, pts, kind, conversation_id, seq, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    let msgId = 0;
    const append = db.transaction((conversationId: string, senderId: string) => {
      const clientMsgId = randomUUID();
      const time = Date.now();
      if (dedupe.get(senderId, conversationId, clientMsgId)) throw new Error('duplicate');
      const { last_seq: seq } = bumpSeq.get(time, conversationId) as { last_seq: number };
      insertMessage.run(String(++msgId), conversationId, seq, senderId, clientMsgId, 'The quick brown fox jumps over the lazy dog.', time);
      for (const { user_id } of members.all(conversationId) as { user_id: string }[]) {
        const { pts } = bumpPts.get(user_id) as { pts: number };
        insertInbox.run(user_id, pts, 'message', conversationId, seq, null, time);
      }
    });

    const start = performance.now();
    const end = start + opts.durationMs;
    let done = 0;
    while (done < opts.maxTransactions && performance.now() < end) {
      const c = conversations[done % conversations.length];
      if (!c) throw new Error('no conversations');
      append(c.id, c.sender);
      done++;
    }
    const seconds = (performance.now() - start) / 1000;
    return { txPerSec: done / seconds, transactions: done };
  } finally {
    db.close();
  }
}
