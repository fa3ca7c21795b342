/**
 * A group may let members who join read its last lines before their join (the second seed:
 * 也可以做查看加入群之前若干条消息). The owner or an admin chooses; a real server and the
 * project's own client on a new member's device.
 */
import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it } from 'vitest';
import { TidingsClient } from '../../src/sync/client';
import '../support/quiet-logs';
import { signIn } from '../support/http';
import { requestError } from '../support/socket-client';
import { dbSnapshot, Harness } from '../support/test-server';
import { until } from '../support/until';

const h = new Harness();
afterAll(() => h.close());

describe('history on join', () => {
  it('[GROUP-SHARE-2] a member who joins reads the last N lines on their device, from their summary on; bad values change nothing', async () => {
    const server = await h.start();
    const owner = await h.user(server, 'owner');
    const member = await h.user(server, 'member');
    await h.user(server, 'newcomer');
    const group = (await owner.client.request({ type: 'createGroup', name: 'Club', usernames: ['member'] })).conversation.id; // 1
    for (const text of ['old news', 'recent one', 'recent two']) await owner.client.send(group, text); // 2, 3, 4

    // Bad values and a plain member are refused, and nothing is written.
    const before = dbSnapshot(server.config.dataFile);
    for (const historyOnJoin of [-1, 1.5, 1001, '3', null]) {
      expect((await requestError(owner.client.socket, { type: 'updateGroup', conversationId: group, historyOnJoin })).code).toBe('bad_request');
    }
    expect((await requestError(member.client.socket, { type: 'updateGroup', conversationId: group, historyOnJoin: 2 })).code).toBe('forbidden');
    expect(dbSnapshot(server.config.dataFile)).toEqual(before);

    await owner.client.request({ type: 'updateGroup', conversationId: group, historyOnJoin: 2 }); // 5
    await owner.client.request({ type: 'addMembers', conversationId: group, usernames: ['newcomer'] }); // 6

    const session = await signIn(server.url, 'newcomer');
    const device = new TidingsClient({ ...session, serverUrl: server.url }, { dbName: `share-${Date.now()}` });
    try {
      await until('the group on the device', async () => (await device.db.conversations.get(group)) !== undefined, 15_000);
      expect(await device.db.conversations.get(group)).toMatchObject({ firstSeq: 4, historyOnJoin: 2, unread: { count: 0 } });
      // Opening it loads the latest page, which reaches down to the first line shared.
      const lowest = await device.loadPage(group);
      expect(lowest).toBe(4);
      const texts = (await device.db.messages.where('conversationId').equals(group).sortBy('order')).map((m) => [m.seq, m.text]);
      expect(texts).toEqual([
        [4, 'recent two'],
        [5, ''],
        [6, ''],
      ]);
      expect(await device.db.messages.filter((m) => m.text === 'recent one' || m.text === 'old news').count()).toBe(0);
    } finally {
      device.close();
    }
  });
});
