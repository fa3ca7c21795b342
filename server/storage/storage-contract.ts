/**
 * The one contract every `Storage` implementation passes (SQLite now, PostgreSQL + Redis
 * later). It speaks only through the interface, with fixed ids and times, so the same suite
 * runs unchanged against each backend: `storageContractSuite('Name', () => makeFreshStorage())`.
 * Each test gets a fresh, empty storage from `makeStorage` and closes it afterwards.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { accountsContract } from './contract/accounts-contract';
import { contractContext } from './contract/fixtures';
import { groupsContract } from './contract/groups-contract';
import { inboxContract } from './contract/inbox-contract';
import { messagesContract } from './contract/messages-contract';
import { readsContract } from './contract/reads-contract';
import { settingsContract } from './contract/settings-contract';
import type { Storage } from './storage';

export interface StorageContractOptions {
  /** The backend's inbox threshold (groups with at least this many members get no inbox events). */
  inboxFanoutMax?: number;
}

export function storageContractSuite(name: string, makeStorage: () => Promise<Storage>, options: StorageContractOptions = {}): void {
  describe(`Storage contract: ${name}`, () => {
    let current: Storage | null = null;
    const counter = { n: 0 };
    const t = contractContext(() => {
      if (!current) throw new Error('no storage: used outside a test');
      return current;
    }, counter);

    beforeEach(async () => {
      current = await makeStorage();
      counter.n = 0;
    });
    afterEach(async () => {
      await current?.close();
      current = null;
    });

    accountsContract(t);
    messagesContract(t);
    inboxContract(t);
    // 500 is every backend's default (SqliteStorage, ServerConfig).
    groupsContract(t, { inboxFanoutMax: options.inboxFanoutMax ?? 500 });
    readsContract(t, { inboxFanoutMax: options.inboxFanoutMax ?? 500 });
    settingsContract(t);
  });
}
