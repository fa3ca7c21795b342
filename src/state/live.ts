/** Ephemeral state from the server, never stored: who is typing where, and people's presence. */
import { create } from 'zustand';
import type { Presence } from '../protocol';

interface LiveState {
  /** conversationId → user ids typing there now. */
  typing: Readonly<Record<string, readonly string[]>>;
  /** userId → last presence heard. */
  presence: Readonly<Record<string, Presence>>;
  setTyping(conversationId: string, userIds: readonly string[]): void;
  setPresence(list: readonly Presence[]): void;
  reset(): void;
}

export const useLive = create<LiveState>((set) => ({
  typing: {},
  presence: {},
  setTyping(conversationId, userIds) {
    set((s) => {
      const typing = { ...s.typing };
      if (userIds.length === 0) delete typing[conversationId];
      else typing[conversationId] = userIds;
      return { typing };
    });
  },
  setPresence(list) {
    set((s) => ({ presence: { ...s.presence, ...Object.fromEntries(list.map((p) => [p.userId, p])) } }));
  },
  reset() {
    set({ typing: {}, presence: {} });
  },
}));
