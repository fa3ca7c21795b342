import { describe, expect, it } from 'vitest';
import '../support/quiet-logs';
import { reconnectStorm } from './reconnect-storm';

describe('reconnect storm', () => {
  it('[FAULT-STORM-1] 100 devices reconnecting at once after a restart all catch up; the server stays responsive', async () => {
    const r = await reconnectStorm({ users: 25, devicesPerUser: 4 });
    console.log(
      `reconnect storm: ${r.clients} devices caught up ${r.caughtUpMs} ms after the restart; ` +
        `health probe p99 ${r.healthP99Ms} ms, max ${r.healthMaxMs} ms over ${r.healthProbes} probes`,
    );
    expect(r.clients).toBe(100);
    // Responsive: a health check is never stuck behind the storm for long.
    expect(r.healthMaxMs).toBeLessThan(2_000);
  }, 180_000);
});
