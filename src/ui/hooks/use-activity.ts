/**
 * Tells the server whether this device's person is active: input (keys, pointer, focus) in the
 * last `AWAY_AFTER_MS` means active, so others see `Online`; none means idle (`Away`). The rule
 * is `ActivityWatch`; the client sends only changes.
 */
import { useEffect } from 'react';
import type { TidingsClient } from '../../sync/client';
import { ActivityWatch } from './activity-watch';

const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'focus'] as const;

export function useActivity(client: TidingsClient): void {
  useEffect(() => {
    const watch = new ActivityWatch((active) => client.setActive(active));
    const input = () => watch.input();
    input();
    for (const e of INPUT_EVENTS) window.addEventListener(e, input, { passive: true });
    return () => {
      watch.stop();
      for (const e of INPUT_EVENTS) window.removeEventListener(e, input);
    };
  }, [client]);
}
