/** What the connection indicator and the open conversation show. */
import { profileKey } from './profile';
import { create } from 'zustand';
import type { SyncStatus } from '../sync/sync-engine';

export type ConnectionState = 'connecting' | 'syncing' | 'connected' | 'offline';

const OPEN_KEY = profileKey('tidings.openConversation');

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
  /** A message to show once its conversation is open (a search result, a notification). */
  pendingJump: { conversationId: string; seq: number } | null;
  /** Opens a conversation at one of its messages, loading history around it if needed. */
  openAt(conversationId: string, seq: number): void;
  clearJump(): void;
  /** The Settings dialog is open (kept in the store: a change of language re-renders the app). */
  settingsOpen: boolean;
  setSettingsOpen(open: boolean): void;
  /** The message being replied to, per conversation: kept while the person looks elsewhere. */
  replyTo: Readonly<Record<string, ReplyTarget>>;
  setReplyTo(conversationId: string, target: ReplyTarget | null): void;
  /** A session ended: nothing of what its person had open or half-written stays for the next. */
  resetForSession(): void;
}

/** What a reply being written quotes (shown above the input). */
export interface ReplyTarget {
  seq: number;
  senderName: string;
  text: string;
}

export const useUi = create<UiState>((set, get) => ({
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
  pendingJump: null,
  openAt(conversationId, seq) {
    get().openConversation(conversationId);
    set({ pendingJump: { conversationId, seq } });
  },
  clearJump() {
    set({ pendingJump: null });
  },
  settingsOpen: false,
  setSettingsOpen(open) {
    set({ settingsOpen: open });
  },
  replyTo: {},
  setReplyTo(conversationId, target) {
    set((s) => {
      const replyTo = { ...s.replyTo };
      if (target) replyTo[conversationId] = target;
      else delete replyTo[conversationId];
      return { replyTo };
    });
  },
  resetForSession() {
    get().openConversation(null);
    set({ settingsOpen: false, replyTo: {}, pendingJump: null, progress: null });
  },
}));
