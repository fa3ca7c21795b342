/**
 * On a phone the conversation list and the conversation are separate views, and the system's
 * back (Android's back gesture, the browser's back button) must go from the conversation to the
 * list, not out of the app. So opening a conversation on a narrow screen pushes a history entry,
 * and going back pops it: the list shows. The entry keeps the page's address as it is (a demo
 * device's `?profile=`, any link the app was opened with). The app's own `Back` takes the entry
 * off too, so the next system back leaves the app as a person expects. Wide screens show both
 * views at once and push nothing: there back leaves the page, as it always did.
 *
 *   list ──open (narrow): push {conversation}──▶ conversation
 *   list ◀──system back (popstate) / Back (history.back)── conversation
 *   conversation ──another one opened (a notification)──▶ replace: back still goes to the list
 */
import { useEffect, useRef, useState } from 'react';
import { useUi } from '../../state/connection';

/** The phone layout's breakpoint (styles.css). */
export const NARROW = '(max-width: 699px)';
const KEY = 'tidingsConversation';

/** The conversation a history entry of ours shows, or null for any other entry. */
export function conversationOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const id = (state as Record<string, unknown>)[KEY];
  return typeof id === 'string' ? id : null;
}

/** `state` (whatever else is in it, kept) showing `id`. */
function withConversation(state: unknown, id: string): Record<string, unknown> {
  return { ...(typeof state === 'object' && state !== null ? state : {}), [KEY]: id };
}

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const change = () => setNarrow(query.matches);
    query.addEventListener('change', change);
    return () => query.removeEventListener('change', change);
  }, []);
  return narrow;
}

export function useBackToList(): void {
  const openId = useUi((s) => s.openConversationId);
  const narrow = useNarrow();
  // history.back() answers later (popstate): until then the entry on top is still ours.
  const goingBack = useRef(false);

  // Back (or forward) through our entries: the view follows the entry.
  useEffect(() => {
    const onPop = (event: PopStateEvent) => {
      goingBack.current = false;
      const id = conversationOf(event.state);
      const ui = useUi.getState();
      if (id !== ui.openConversationId) ui.openConversation(id);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // The view changed in the app: the history follows it.
  useEffect(() => {
    const shown = conversationOf(history.state);
    if (openId === shown || goingBack.current) return;
    if (openId === null) {
      // Closed by the app (Back, a leave): the entry goes, and popstate finds the list shown already.
      goingBack.current = true;
      history.back();
    } else if (shown !== null) {
      history.replaceState(withConversation(history.state, openId), '');
    } else if (narrow) {
      history.pushState(withConversation(history.state, openId), '');
    }
  }, [openId, narrow]);
}
