/** What the connection indicator and the open conversation show. */
import { create } from 'zustand';
import type { SyncStatus } from '../sync/sync-engine';

export type ConnectionState = 'connecting' | 'syncing' | 'connected' | 'offline';

interface UiState {
  connection: ConnectionState;
  /** True once a connection attempt has failed since the last success. */
  openConversationId: string | null;
  setSyncStatus(s: SyncStatus): void;
  setOffline(): void;
  openConversation(id: string | null): void;
}

export const useUi = create<UiState>((set) => ({
  connection: 'connecting',
  openConversationId: null,
  setSyncStatus(s) {
    set({ connection: s === 'live' ? 'connected' : s === 'catching-up' ? 'syncing' : 'offline' });
  },
  setOffline() {
    set({ connection: 'offline' });
  },
  openConversation(id) {
    set({ openConversationId: id });
  },
}));
