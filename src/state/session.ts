/**
 * The signed-in session of this device, kept in localStorage so a reload or a restart opens
 * the main screen signed in, from the local store, before the network answers.
 */
import { profileKey } from './profile';
import { create } from 'zustand';
import { SessionSchema } from '../protocol';
import type { StoredSession } from '../sync/client';

const KEY = profileKey('tidings.session');

function load(): StoredSession | null {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as unknown;
    if (!raw || typeof raw !== 'object') return null;
    const { serverUrl, bundled, ...rest } = raw as { serverUrl?: unknown; bundled?: unknown };
    const session = SessionSchema.safeParse(rest);
    if (!session.success || typeof serverUrl !== 'string') return null;
    return { ...session.data, serverUrl, ...(bundled === true ? { bundled: true } : {}) };
  } catch {
    return null;
  }
}

interface SessionState {
  session: StoredSession | null;
  /** Why the last session ended, shown on the sign-in screen. */
  endedBecause: string | null;
  signIn(session: StoredSession): void;
  signOut(reason?: string): void;
}

export const useSession = create<SessionState>((set) => ({
  session: load(),
  endedBecause: null,
  signIn(session) {
    localStorage.setItem(KEY, JSON.stringify(session));
    set({ session, endedBecause: null });
  },
  signOut(reason) {
    localStorage.removeItem(KEY);
    set({ session: null, endedBecause: reason ?? null });
  },
}));
