/**
 * A user's settings in storage: per conversation the seeds' `is_top` (pinned) and
 * `notify_type` (all / mentions / muted) on the user–conversation row, and the user's own
 * preferences (do not disturb). Each change reaches the user's other devices as an inbox
 * event; the event carries no value: it is read from the row when the event is read, so the
 * last write wins everywhere.
 */
import { DEFAULT_PREFS, PrefsSchema, TidingsError, type Notify, type Prefs } from '../../../src/protocol';
import type { Delivery } from '../storage';
import type { SqlStorage } from './sql-storage';

export class SqlSettings {
  constructor(private readonly s: SqlStorage) {}

  conversationSettings(input: { userId: string; conversationId: string; pinned?: boolean | undefined; notify?: Notify | undefined; now: number }): Promise<Delivery[]> {
    return this.s.transaction(async (): Promise<Delivery[]> => {
      const m = await this.s.membershipRow(input.userId, input.conversationId);
      if (!m || m.left_seq !== null) throw new TidingsError('not_found', 'No such conversation.');
      const pinned = input.pinned ?? m.is_top === 1;
      const notify = input.notify ?? m.notify_type;
      if (pinned === (m.is_top === 1) && notify === m.notify_type) return [];
      await this.s.run(
        'UPDATE user_conversations SET is_top = ?, notify_type = ? WHERE user_id = ? AND conversation_id = ?',
        pinned ? 1 : 0,
        notify,
        input.userId,
        input.conversationId,
      );
      const pts = await this.s.appendInbox(input.userId, 'settings', input.conversationId, null, null, input.now);
      return [{ userId: input.userId, entry: { pts, event: { type: 'settings', conversationId: input.conversationId, pinned, notify } } }];
    });
  }

  /** The settings event as read now (the row's current values). */
  async settingsEvent(userId: string, conversationId: string): Promise<{ pinned: boolean; notify: Notify }> {
    const m = await this.s.membershipRow(userId, conversationId);
    return { pinned: m?.is_top === 1, notify: m?.notify_type ?? 'all' };
  }

  async prefs(userId: string): Promise<Prefs> {
    const row = await this.s.firstRow<{ prefs: string | null }>('SELECT prefs FROM users WHERE id = ?', userId);
    if (!row?.prefs) return DEFAULT_PREFS;
    // Stored by this code, but parsed anyway: a row that does not parse is the defaults.
    const parsed = PrefsSchema.safeParse(JSON.parse(row.prefs));
    return parsed.success ? parsed.data : DEFAULT_PREFS;
  }

  setPrefs(userId: string, prefs: Prefs, now: number): Promise<Delivery[]> {
    return this.s.transaction(async (): Promise<Delivery[]> => {
      if (JSON.stringify(await this.prefs(userId)) === JSON.stringify(prefs)) return [];
      await this.s.run('UPDATE users SET prefs = ? WHERE id = ?', JSON.stringify(prefs), userId);
      const pts = await this.s.appendInbox(userId, 'prefs', '', null, null, now);
      return [{ userId, entry: { pts, event: { type: 'prefs', prefs } } }];
    });
  }
}
