import { afterAll, describe, expect, it } from 'vitest';
import '../support/quiet-logs';
import { Harness } from '../support/test-server';

const h = new Harness();
afterAll(() => h.close());

describe('long-lived sockets', () => {
  it('[AUTH-17] an idle socket whose session expires is told so and disconnected by the sweep', async () => {
    // Sessions live 1.5 s here; the sweep runs every 200 ms.
    const server = await h.start({ sessionTtlMs: 1_500, sessionSweepMs: 200 });
    const { client } = await h.user(server, 'alice');
    // The socket sends nothing at all: only the sweep can notice the expiry.
    await client.waitUntil(() => client.revokedWith !== null, 'the revoked event');
    expect(client.revokedWith).toMatchObject({ code: 'unauthorized' });
    expect(await client.disconnected()).toBe('io server disconnect');
  });
});
