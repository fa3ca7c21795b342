/**
 * The app's height follows the part of the screen a person can see, so the message input stays
 * above an on-screen keyboard. index.html asks for `interactive-widget=resizes-content` (the page
 * shrinks with the keyboard) and styles.css sizes the app with `100dvh`, which is enough in
 * Chrome; iOS Safari ignores the first and does not shrink `dvh` for the keyboard, so the
 * keyboard would cover the input. The visual viewport does shrink there: its height becomes the
 * `--app-height` that styles.css prefers. While the page is pinch-zoomed the visual viewport is
 * smaller for another reason, and the last height is kept.
 */
import { useEffect } from 'react';

export interface ViewportLike {
  height: number;
  scale: number;
}

/** The app's height in CSS pixels for this visual viewport, or `previous` while zoomed (or nonsense). */
export function visibleHeight(viewport: ViewportLike, previous: number | null): number | null {
  if (!Number.isFinite(viewport.height) || viewport.height <= 0) return previous;
  if (Math.abs(viewport.scale - 1) > 0.01) return previous;
  return Math.round(viewport.height);
}

export function useVisibleHeight(): void {
  useEffect(() => {
    const viewport = window.visualViewport;
    if (!viewport) return;
    const root = document.documentElement;
    let height: number | null = null;
    const follow = () => {
      const next = visibleHeight(viewport, height);
      if (next === height || next === null) return;
      height = next;
      root.style.setProperty('--app-height', `${next}px`);
    };
    follow();
    viewport.addEventListener('resize', follow);
    return () => {
      viewport.removeEventListener('resize', follow);
      root.style.removeProperty('--app-height');
    };
  }, []);
}
