/**
 * The request handlers behind the socket: one function per request type, each given the
 * already-parsed request and the authenticated device. Writes happen in one storage
 * transaction; pushes go out only after it commits, through the tiered fan-out, so an ack
 * always means stored and a big group never delays a direct message.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from '../scale/redis-link';
import {
  DEFAULT_RECALL_WINDOW_S,
  directConversationId,
  directMemberIds,
  LIMITS,
  TidingsError,
  type Message,
  type Request,
  type RequestType,
  type ResultOf,
} from '../../src/protocol';
import type { Delivery, GroupChange, Storage } from '../storage/storage';
import { crashPoint } from '../util/crash-points';
import type { Snowflake } from '../util/snowflake';
import { tierOf, type Tier } from './fanout';
import type { PresenceTracker } from './presence';

export interface Caller {
  userId: string;
  deviceId: string;
  /** The socket the request came on (presence is per connection). */
  connectionId?: string;
}

/** What the socket layer does with what a request wrote. */
export interface Pusher {
  /** Inbox events to their users' devices. */
  deliver(deliveries: readonly Delivery[], tier: Tier): void;
  /** Lines of a big group (no inbox events) to its room. */
  room(conversationId: string, messages: readonly Message[], tier: Tier): void;
  joinRoom(userIds: readonly string[], conversationId: string): void;
  leaveRoom(userIds: readonly string[], conversationId: string): void;
  /** Ephemeral: `userId` is typing; to these users' devices, or to a group's room (never to the typist). */
  typing(conversationId: string, userId: string, to: readonly string[] | 'room'): void;
  /** Tells a signed-out device so and closes its sockets. */
  disconnectDevice(deviceId: string): Promise<void>;
}

/** Work to run right after the reply (the ack) has been written. */
export type AfterReply = (work: () => void) => void;

type Handlers = {
  [T in RequestType]: (caller: Caller, req: Extract<Request, { type: T }>, after: AfterReply) => Promise<ResultOf<T>>;
};

/** Display-name changes per user per minute (each one tells everyone sharing a conversation). */
export const PROFILE_CHANGES_PER_MINUTE = 5;

export class Messaging {
  private readonly profileLimiter: RateLimiterAbstract;

  constructor(
    private readonly storage: Storage,
    private readonly ids: Snowflake,
    private readonly push: Pusher,
    private readonly presence: PresenceTracker,
    private readonly recallWindowMs: number = DEFAULT_RECALL_WINDOW_S * 1000,
    /** Where limits are counted: memory for one node, Redis for several. */
    limiters: LimiterFactory = memoryLimiters,
  ) {
    this.profileLimiter = limiters('profile', PROFILE_CHANGES_PER_MINUTE, 60);
  }

  /** `after` runs work once the reply is written; without it, work runs on the next turn. */
  handle<T extends RequestType>(
    caller: Caller,
    req: Extract<Request, { type: T }>,
    after: AfterReply = (work) => setImmediate(work),
  ): Promise<ResultOf<T>> {
    const handler = this.handlers[req.type] as (c: Caller, r: typeof req, a: AfterReply) => Promise<ResultOf<T>>;
    return handler(caller, req, after);
  }

  private async requireMember(userId: string, conversationId: string): Promise<void> {
    // Same error as a conversation that does not exist: membership cannot be probed.
    if (!(await this.storage.isMember(userId, conversationId))) {
      throw new TidingsError('not_found', 'No such conversation.');
    }
  }

  /** Users by name, all of them or a `not_found` that names the unknown ones. */
  private async usersNamed(usernames: readonly string[]): Promise<string[]> {
    const found = await Promise.all(usernames.map((u) => this.storage.findUserByUsername(u)));
    const unknown = usernames.filter((_, i) => !found[i]);
    if (unknown.length > 0) {
      throw new TidingsError('not_found', `No user named ${unknown.join(', ')}. Nothing was changed.`);
    }
    return found.map((u) => (u as { id: string }).id);
  }

  private publish(change: GroupChange): void {
    const tier = tierOf('group', change.memberCount);
    this.push.joinRoom(change.joined, change.conversationId);
    this.push.deliver(change.deliveries, tier);
    this.push.room(change.conversationId, change.room, tier);
    this.push.leaveRoom(change.left, change.conversationId);
  }

  private readonly handlers: Handlers = {
    bootstrap: (caller) => this.storage.bootstrap(caller.userId),

    sync: async (caller, req) => {
      const page = await this.storage.syncInbox(caller.userId, req.sincePts, req.limit ?? 200);
      crashPoint('mid-pull');
      return page;
    },

    send: async (caller, req, after) => {
      await this.requireMember(caller.userId, req.conversationId);
      const result = await this.storage.appendMessage({
        msgId: this.ids.next(),
        conversationId: req.conversationId,
        senderId: caller.userId,
        clientMsgId: req.clientMsgId,
        text: req.text,
        serverTime: Date.now(),
        replyToSeq: req.replyToSeq,
        mentions: req.mentions,
      });
      crashPoint('after-commit-before-ack');
      if (!result.duplicate) {
        // The ack goes out first; the pushes follow right after it is written, with no turn
        // of the event loop between (a turn would let a big group's chunk run first). A push
        // lost here is found by the recipients' next pull.
        const tier = tierOf(req.conversationId.startsWith('d_') ? 'direct' : 'group', result.memberCount);
        after(() => {
          crashPoint('after-ack-before-fanout');
          this.push.deliver(result.deliveries, tier);
          if (result.room) this.push.room(req.conversationId, [result.message], tier);
        });
      }
      const { msgId, conversationId, seq, serverTime } = result.message;
      return { msgId, conversationId, seq, serverTime };
    },

    history: async (caller, req) => {
      const m = await this.storage.membership(caller.userId, req.conversationId);
      if (!m) throw new TidingsError('not_found', 'No such conversation.');
      // A member reads from their join on; one who left reads up to their leaving, no further.
      return this.storage.history(req.conversationId, req.beforeSeq, Math.min(req.limit, LIMITS.historyPageMax), m);
    },

    openDirect: async (caller, req) => {
      const peer = await this.storage.findUserByUsername(req.username);
      if (!peer) throw new TidingsError('not_found', `There is no user named ${req.username}.`);
      if (peer.id === caller.userId) throw new TidingsError('bad_request', 'You cannot start a chat with yourself.');
      const id = directConversationId(caller.userId, peer.id);
      const { deliveries } = await this.storage.openDirectConversation(id, [caller.userId, peer.id], Date.now());
      this.push.deliver(deliveries, 0);
      const conversation = await this.storage.getConversationSummary(caller.userId, id);
      if (!conversation) throw new TidingsError('internal', 'The conversation could not be opened.');
      return { conversation, users: await this.storage.getUsers(conversation.memberIds) };
    },

    createGroup: async (caller, req) => {
      const memberIds = await this.usersNamed(req.usernames);
      const conversationId = `g_${this.ids.next()}`;
      const change = await this.storage.createGroup({
        conversationId,
        ownerId: caller.userId,
        memberIds,
        name: req.name,
        now: Date.now(),
        ids: () => this.ids.next(),
      });
      this.publish(change);
      const conversation = await this.storage.getConversationSummary(caller.userId, conversationId);
      if (!conversation) throw new TidingsError('internal', 'The group could not be created.');
      return { conversation, users: await this.storage.getUsers([caller.userId]) };
    },

    addMembers: async (caller, req) => {
      const userIds = await this.usersNamed(req.usernames);
      this.publish(await this.storage.addMembers({ conversationId: req.conversationId, actorId: caller.userId, userIds, now: Date.now(), ids: () => this.ids.next() }));
      return {};
    },

    removeMember: async (caller, req) => {
      this.publish(
        await this.storage.removeMember({ conversationId: req.conversationId, actorId: caller.userId, userId: req.userId, now: Date.now(), ids: () => this.ids.next() }),
      );
      return {};
    },

    leaveGroup: async (caller, req) => {
      this.publish(
        await this.storage.removeMember({ conversationId: req.conversationId, actorId: caller.userId, userId: caller.userId, now: Date.now(), ids: () => this.ids.next() }),
      );
      return {};
    },

    setRole: async (caller, req) => {
      this.publish(
        await this.storage.setRole({ conversationId: req.conversationId, actorId: caller.userId, userId: req.userId, role: req.role, now: Date.now(), ids: () => this.ids.next() }),
      );
      return {};
    },

    updateGroup: async (caller, req) => {
      if (req.name === undefined && req.announcement === undefined && req.historyOnJoin === undefined) {
        throw new TidingsError('bad_request', 'Nothing to change.');
      }
      this.publish(
        await this.storage.updateGroup({
          conversationId: req.conversationId,
          actorId: caller.userId,
          name: req.name,
          announcement: req.announcement,
          historyOnJoin: req.historyOnJoin,
          now: Date.now(),
          ids: () => this.ids.next(),
        }),
      );
      return {};
    },

    members: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      return this.storage.members(req.conversationId, req.offset ?? 0, req.limit ?? LIMITS.usersPerRequest, req.query);
    },

    users: async (_caller, req) => ({ users: await this.storage.getUsers(req.ids) }),

    heads: async (caller) => ({ heads: await this.storage.roomHeads(caller.userId) }),

    recall: async (caller, req) => {
      const r = await this.storage.recallMessage({
        conversationId: req.conversationId,
        seq: req.seq,
        actorId: caller.userId,
        now: Date.now(),
        windowMs: this.recallWindowMs,
      });
      const tier = tierOf(req.conversationId.startsWith('d_') ? 'direct' : 'group', r.memberCount);
      this.push.deliver(r.deliveries, tier);
      if (r.room) this.push.room(req.conversationId, [r.message], tier);
      return {};
    },

    recalls: async (caller, req) => {
      const m = await this.storage.membership(caller.userId, req.conversationId);
      if (!m) throw new TidingsError('not_found', 'No such conversation.');
      // One who left learns of recalls up to their leaving, no further (see SqlMessages.recallsAfter).
      return this.storage.recallsAfter(req.conversationId, req.after, req.limit ?? LIMITS.recallsPageMax, m);
    },

    read: async (caller, req) => {
      const r = await this.storage.markRead({ userId: caller.userId, conversationId: req.conversationId, seq: req.seq, now: Date.now() });
      this.push.deliver(r.deliveries, 0);
      return { lastReadSeq: r.lastReadSeq, unread: r.unread, pts: r.pts };
    },

    markUnread: async (caller, req) => {
      const r = await this.storage.markUnread({ userId: caller.userId, conversationId: req.conversationId, seq: req.seq, now: Date.now() });
      this.push.deliver(r.deliveries, 0);
      return { lastReadSeq: r.lastReadSeq, unread: r.unread, pts: r.pts };
    },

    draft: async (caller, req) => {
      const r = await this.storage.saveDraft({ userId: caller.userId, conversationId: req.conversationId, text: req.text, now: Date.now() });
      this.push.deliver(r.deliveries, 0);
      return { draft: r.draft };
    },

    receipts: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      return { receipts: await this.storage.receipts(req.conversationId) };
    },

    typing: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      const peers = directMemberIds(req.conversationId)?.filter((id) => id !== caller.userId);
      this.push.typing(req.conversationId, caller.userId, peers ?? 'room');
      return {};
    },

    presence: async (caller, req) => {
      // Only people who share a conversation with the caller; anyone else is simply left out.
      const visible = await this.storage.sharingWith(caller.userId, req.userIds);
      return { presence: await this.presence.get(visible) };
    },

    activity: async (caller, req) => {
      if (caller.connectionId) await this.presence.activity(caller.userId, caller.connectionId, req.active);
      return {};
    },

    conversationSettings: async (caller, req) => {
      if (req.pinned === undefined && req.notify === undefined) throw new TidingsError('bad_request', 'Nothing to change.');
      const deliveries = await this.storage.setConversationSettings({
        userId: caller.userId,
        conversationId: req.conversationId,
        pinned: req.pinned,
        notify: req.notify,
        now: Date.now(),
      });
      this.push.deliver(deliveries, 0);
      return {};
    },

    prefs: async (caller, req) => {
      this.push.deliver(await this.storage.setPrefs(caller.userId, req.prefs, Date.now()), 0);
      return {};
    },

    devices: async (caller) => {
      const devices = await this.storage.activeDevices(caller.userId, Date.now());
      return {
        devices: devices.map((d) => ({ id: d.id, name: d.name, createdAt: d.createdAt, lastActiveAt: d.lastActiveAt, current: d.id === caller.deviceId })),
      };
    },

    revokeDevice: async (caller, req) => {
      const device = await this.storage.getDevice(req.deviceId);
      // Someone else's device answers like one that does not exist.
      if (!device || device.userId !== caller.userId) throw new TidingsError('not_found', 'No such device.');
      await this.storage.revokeDevice(device.id, Date.now());
      // After the reply: the device asking may be the one signed out.
      setImmediate(() => {
        this.push.disconnectDevice(device.id).catch(() => {
          // Its sockets are gone already; the revoked token is refused anyway.
        });
      });
      return {};
    },

    profile: async (caller, req) => {
      // A change writes an event for everyone sharing a conversation (a big group's members
      // too), so it has its own small budget besides the per-user request limit.
      try {
        await this.profileLimiter.consume(caller.userId);
      } catch {
        throw new TidingsError('rate_limited', 'You changed your name several times just now. Wait a minute and try again.');
      }
      const { user, deliveries } = await this.storage.setDisplayName({ userId: caller.userId, displayName: req.displayName, now: Date.now() });
      this.push.deliver(deliveries, 0);
      return { user };
    },

    renameDevice: async (caller, req) => {
      await this.storage.renameDevice({ userId: caller.userId, deviceId: req.deviceId, name: req.name, now: Date.now() });
      return {};
    },

    delivered: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      this.push.deliver(await this.storage.markDelivered(caller.userId, req.conversationId, req.seq), 0);
      return {};
    },
  };
}
