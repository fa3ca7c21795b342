/**
 * Tells the server whether this device's person is active: input (keys, pointer, focus) in the
 * last `AWAY_AFTER_MS` means active, so others see `Online`; none means idle (`Away`).
 */
import { useEffect } from 'react';
import { AWAY_AFTER_MS } from '../../protocol';
import type { TidingsClient } from '../../sync/client';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus'] as const;

export function useActivity(client: TidingsClient): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const idle = () => client.setActive(false);
    const active = () => {
      client.setActive(true);
      if (timer) clearTimeout(timer);
      timer = setTimeout(idle, AWAY_AFTER_MS);
    };
    active();
    for (const e of INPUT_EVENTS) window.addEventListener(e, active, { passive: true });
    return () => {
      if (timer) clearTimeout(timer);
      for (const e of INPUT_EVENTS) window.removeEventListener(e, active);
    };
  }, [client]);
}
