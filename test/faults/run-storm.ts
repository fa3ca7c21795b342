/** `npm run check:storm [devices]`: the reconnect storm at full size (default 500 devices). */
import '../support/quiet-logs';
import { reconnectStorm } from './reconnect-storm';

const devices = Number(process.argv[2] ?? 500);
const perUser = 5;
const r = await reconnectStorm({ users: Math.ceil(devices / perUser), devicesPerUser: perUser, log: (s) => console.log(s) });
console.log(
  `\nreconnect storm: ${r.clients} devices (${r.users} users × ${perUser}) caught up ${r.caughtUpMs} ms after the restart\n` +
    `server responsiveness during the storm: health probe p99 ${r.healthP99Ms} ms, max ${r.healthMaxMs} ms (${r.healthProbes} probes)`,
);
process.exit(0);
