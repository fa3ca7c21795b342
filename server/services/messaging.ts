/**
 * The request handlers behind the socket: one function per request type, each given the
 * already-parsed request and the authenticated device. Writes happen in one storage
 * transaction; pushes go out only after it commits (`fanout`), so an ack always means stored.
 */
import {
  directConversationId,
  LIMITS,
  TidingsError,
  type Request,
  type RequestType,
  type ResultOf,
} from '../../src/protocol';
import type { Delivery, Storage } from '../storage/storage';
import { crashPoint } from '../util/crash-points';
import type { Snowflake } from '../util/snowflake';

export interface Caller {
  userId: string;
  deviceId: string;
}

export type Fanout = (deliveries: readonly Delivery[]) => void;

type Handlers = {
  [T in RequestType]: (caller: Caller, req: Extract<Request, { type: T }>) => Promise<ResultOf<T>>;
};

export class Messaging {
  constructor(
    private readonly storage: Storage,
    private readonly ids: Snowflake,
    private readonly fanout: Fanout,
  ) {}

  handle<T extends RequestType>(caller: Caller, req: Extract<Request, { type: T }>): Promise<ResultOf<T>> {
    const handler = this.handlers[req.type] as (c: Caller, r: typeof req) => Promise<ResultOf<T>>;
    return handler(caller, req);
  }

  private async requireMember(userId: string, conversationId: string): Promise<void> {
    // Same error as a conversation that does not exist: membership cannot be probed.
    if (!(await this.storage.isMember(userId, conversationId))) {
      throw new TidingsError('not_found', 'No such conversation.');
    }
  }

  private readonly handlers: Handlers = {
    bootstrap: (caller) => this.storage.bootstrap(caller.userId),

    sync: async (caller, req) => {
      const page = await this.storage.syncInbox(caller.userId, req.sincePts, req.limit ?? 200);
      crashPoint('mid-pull');
      return page;
    },

    send: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      const result = await this.storage.appendMessage({
        msgId: this.ids.next(),
        conversationId: req.conversationId,
        senderId: caller.userId,
        clientMsgId: req.clientMsgId,
        text: req.text,
        serverTime: Date.now(),
      });
      crashPoint('after-commit-before-ack');
      // The ack goes out first (the reply is written when this handler resolves); the pushes
      // follow on the next turn. A push lost here is found by the recipients' next pull.
      setImmediate(() => {
        crashPoint('after-ack-before-fanout');
        this.fanout(result.deliveries);
      });
      const { msgId, conversationId, seq, serverTime } = result.message;
      return { msgId, conversationId, seq, serverTime };
    },

    history: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      return this.storage.history(req.conversationId, req.beforeSeq, Math.min(req.limit, LIMITS.historyPageMax));
    },

    openDirect: async (caller, req) => {
      const peer = await this.storage.findUserByUsername(req.username);
      if (!peer) throw new TidingsError('not_found', `There is no user named ${req.username}.`);
      if (peer.id === caller.userId) throw new TidingsError('bad_request', 'You cannot start a chat with yourself.');
      const id = directConversationId(caller.userId, peer.id);
      const { deliveries } = await this.storage.openDirectConversation(id, [caller.userId, peer.id], Date.now());
      this.fanout(deliveries);
      const conversation = await this.storage.getConversationSummary(caller.userId, id);
      if (!conversation) throw new TidingsError('internal', 'The conversation could not be opened.');
      return { conversation, users: await this.storage.getUsers(conversation.memberIds) };
    },

    delivered: async (caller, req) => {
      await this.requireMember(caller.userId, req.conversationId);
      this.fanout(await this.storage.markDelivered(caller.userId, req.conversationId, req.seq));
      return {};
    },
  };
}
