import { describe, expect, it } from 'vitest';
import { Flusher } from './flusher';

describe('Flusher', () => {
  it('[FLUSH-1] runs one round at a time, and a call during a round asks for one more after it', async () => {
    let pending = 1;
    const sent: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let concurrent = 0;
    let most = 0;
    // One pass over what is pending, with a slow request: a change made meanwhile is not seen by it.
    const flusher = new Flusher(async () => {
      concurrent++;
      most = Math.max(most, concurrent);
      const n = pending;
      pending = 0;
      if (n > 0) {
        await gate;
        sent.push(n);
      }
      concurrent--;
    });
    const first = flusher.flush();
    pending = 2; // changed while the first round's request is out
    await flusher.flush(); // returns at once: the running flush will go round again
    await flusher.flush();
    expect(sent).toEqual([]);
    release();
    await first;
    expect(sent).toEqual([1, 2]);
    expect(most).toBe(1);
    // Nothing pending, nothing running: a flush is one round that sends nothing.
    await flusher.flush();
    expect(sent).toEqual([1, 2]);
  });
});
