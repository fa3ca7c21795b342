/**
 * The user's settings from this device: a conversation's pin and notifications, and the user's
 * own preferences (do not disturb). Like reads and drafts, a change shows at once (offline too)
 * and goes to the server when connected; the server's `settings` and `prefs` events bring the
 * user's other devices along.
 */
import { DEFAULT_PREFS, type DeviceInfo, type Notify, type Prefs } from '../protocol';
import type { TidingsDb } from '../store/db';
import { Flusher } from './flusher';
import { refusalIsFinal, type Transport } from './transport';

export interface StoredPrefs {
  prefs: Prefs;
  /** Changed here, not yet told to the server. */
  pending: boolean;
}

export async function readStoredPrefs(db: TidingsDb): Promise<StoredPrefs | undefined> {
  return (await db.meta.get('prefs'))?.value as StoredPrefs | undefined;
}

export async function storedPrefs(db: TidingsDb): Promise<Prefs> {
  return (await readStoredPrefs(db))?.prefs ?? DEFAULT_PREFS;
}

/** The server's prefs, unless a change made here waits to be sent (that one is newer). */
export async function applyServerPrefs(db: TidingsDb, prefs: Prefs): Promise<void> {
  if ((await readStoredPrefs(db))?.pending) return;
  await db.meta.put({ key: 'prefs', value: { prefs, pending: false } });
}

export class UserSettings {
  private readonly flusher = new Flusher(() => this.round());

  constructor(
    private readonly db: TidingsDb,
    private readonly transport: Transport,
  ) {}

  async setConversation(conversationId: string, change: { pinned?: boolean; notify?: Notify }): Promise<void> {
    await this.db.conversations.update(conversationId, { ...change, settingsPending: true });
    await this.flush();
  }

  async setPrefs(prefs: Prefs): Promise<void> {
    const value: StoredPrefs = { prefs, pending: true };
    await this.db.meta.put({ key: 'prefs', value });
    await this.flush();
  }

  /** Sends what changed here (while offline, too). A refusal is final: the server's events rule. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  private async round(): Promise<void> {
    if (!this.transport.connected) return;
    for (;;) {
      const due = await this.db.conversations.filter((c) => c.settingsPending === true).first();
      if (!due) break;
      const sent = { pinned: due.pinned ?? false, notify: due.notify ?? 'all' };
      await refusalIsFinal(this.transport.request({ type: 'conversationSettings', conversationId: due.id, ...sent }));
      await this.db.conversations
        .where('id')
        .equals(due.id)
        .modify((c) => {
          if ((c.pinned ?? false) === sent.pinned && (c.notify ?? 'all') === sent.notify) c.settingsPending = false;
        });
    }
    const local = await readStoredPrefs(this.db);
    if (local?.pending) {
      await refusalIsFinal(this.transport.request({ type: 'prefs', prefs: local.prefs }));
      const now = await readStoredPrefs(this.db);
      if (now && JSON.stringify(now.prefs) === JSON.stringify(local.prefs)) await this.db.meta.put({ key: 'prefs', value: { prefs: local.prefs, pending: false } });
    }
  }

  async devices(): Promise<DeviceInfo[]> {
    return (await this.transport.request({ type: 'devices' })).devices;
  }

  async revokeDevice(deviceId: string): Promise<void> {
    await this.transport.request({ type: 'revokeDevice', deviceId });
  }

  async renameDevice(deviceId: string, name: string): Promise<void> {
    await this.transport.request({ type: 'renameDevice', deviceId, name });
  }
}
