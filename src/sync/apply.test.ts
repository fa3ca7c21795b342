import { describe, expect, it } from 'vitest';
import type { Message, SystemEvent } from '../protocol';
import type { StoredConversation } from '../store/db';
import { applySystem } from './apply';

const ME = '1';
const group: StoredConversation = {
  id: 'g_9',
  kind: 'group',
  name: 'Team',
  announcement: '',
  memberIds: [],
  memberCount: 3,
  role: 'member',
  firstSeq: 1,
  leftSeq: null,
  inboxFanout: true,
  stateSeq: 4,
  lastSeq: 4,
  lastMessage: null,
  lastReadSeq: 0,
  readReported: 0,
  unread: { count: 0, asOf: 0, readSeq: 0 },
  peerDeliveredSeq: 0,
  peerReadSeq: 0,
  draft: null,
  draftPending: false,
  maxOtherSeq: 0,
  deliveredReported: 0,
  ranges: [[1, 4]],
  activityAt: 0,
};

const line = (seq: number, system: SystemEvent, senderId = '2'): Message => ({
  msgId: String(seq),
  conversationId: 'g_9',
  seq,
  senderId,
  clientMsgId: `c${seq}`,
  text: '',
  serverTime: seq,
  system,
  recalledBy: null,
  replyTo: null,
  mentions: null,
});

describe('system lines change the conversation', () => {
  it('[GROUP-2] renames, announcements, roles and sizes follow the log', () => {
    let c = applySystem(group, line(5, { type: 'renamed', name: 'Crew' }), ME);
    c = applySystem(c, line(6, { type: 'announcement', text: 'Standup at 9' }), ME);
    c = applySystem(c, line(7, { type: 'role', userId: ME, role: 'admin' }), ME);
    c = applySystem(c, line(8, { type: 'joined', userIds: ['5', '6'] }), ME);
    c = applySystem(c, line(9, { type: 'removed', userId: '5' }), ME);
    expect(c).toMatchObject({ name: 'Crew', announcement: 'Standup at 9', role: 'admin', memberCount: 4, stateSeq: 9, leftSeq: null });
  });

  it('[GROUP-3] being removed ends what one reads; being added back starts again from that line, as a member', () => {
    const removed = applySystem({ ...group, role: 'admin' }, line(5, { type: 'removed', userId: ME }), ME);
    expect(removed).toMatchObject({ leftSeq: 5, memberCount: 2 });
    const back = applySystem(removed, line(12, { type: 'joined', userIds: [ME] }), ME);
    expect(back).toMatchObject({ leftSeq: null, firstSeq: 12, role: 'member', memberCount: 3 });
    const left = applySystem(back, line(13, { type: 'left' }, ME), ME);
    expect(left).toMatchObject({ leftSeq: 13 });
  });

  it('[GROUP-2] a new owner named by a role line', () => {
    expect(applySystem(group, line(5, { type: 'role', userId: ME, role: 'owner' }), ME).role).toBe('owner');
    expect(applySystem(group, line(5, { type: 'role', userId: '3', role: 'owner' }), ME).role).toBe('member');
  });
});
