/** What the connection indicator and the open conversation show. */
import { create } from 'zustand';
import type { SyncStatus } from '../sync/sync-engine';

export type ConnectionState = 'connecting' | 'syncing' | 'connected' | 'offline';

const OPEN_KEY = 'tidings.openConversation';

function loadOpen(): string | null {
  try {
    return localStorage.getItem(OPEN_KEY);
  } catch {
    return null;
  }
}

interface UiState {
  connection: ConnectionState;
  /** Events applied / to apply while catching up after a long time offline. */
  progress: { done: number; total: number } | null;
  /** Reopened after a reload, like the last chat in any messenger. */
  openConversationId: string | null;
  setSyncStatus(s: SyncStatus): void;
  setProgress(done: number, total: number): void;
  setOffline(): void;
  setConnecting(): void;
  openConversation(id: string | null): void;
}

export const useUi = create<UiState>((set) => ({
  connection: 'connecting',
  progress: null,
  openConversationId: loadOpen(),
  setSyncStatus(s) {
    set({ connection: s === 'live' ? 'connected' : s === 'catching-up' ? 'syncing' : 'offline', progress: null });
  },
  setProgress(done, total) {
    set({ progress: { done, total } });
  },
  setOffline() {
    set({ connection: 'offline' });
  },
  setConnecting() {
    set({ connection: 'connecting' });
  },
  openConversation(id) {
    try {
      if (id) localStorage.setItem(OPEN_KEY, id);
      else localStorage.removeItem(OPEN_KEY);
    } catch {
      // Private modes may refuse storage; the app works without remembering.
    }
    set({ openConversationId: id });
  },
}));
