/**
 * socket.io: authenticates the handshake (`auth.token`, never the URL), puts each socket in
 * its user's room, and answers `req` frames: rate limit, parse with the protocol schema,
 * re-check the session, dispatch, reply `{ok, result}` or `{ok:false, error}` through the ack.
 */
import type { Server as HttpServer } from 'node:http';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Server, type Socket } from 'socket.io';
import { HandshakeAuthSchema, LIMITS, RequestSchema, SOCKET_EVENTS, TidingsError, type Hello, type Message, type Presence, type Reply, type TypingEvent } from '../../src/protocol';
import { memoryLimiters, type LimiterFactory } from '../scale/redis-link';
import { errorFromUnknown } from '../http/routes';
import { logger } from '../log';
import { crashPoint } from '../util/crash-points';
import type { Accounts } from '../services/accounts';
import { chunks, FanoutScheduler, type Tier } from '../services/fanout';
import type { Messaging, Pusher } from '../services/messaging';
import type { PresenceTracker } from '../services/presence';
import type { Storage } from '../storage/storage';

const log = logger('socket');

interface SocketData {
  userId: string;
  deviceId: string;
  token: string;
  /** When the session was last checked against storage (revocation, expiry). */
  checkedAt: number;
}

/** Long-lived sockets re-validate their session at most this often. */
const SESSION_RECHECK_MS = 30_000;

export const userRoom = (userId: string) => `user:${userId}`;
export const convRoom = (conversationId: string) => `conv:${conversationId}`;
const deviceRoom = (deviceId: string) => `device:${deviceId}`;

/** Between nodes: "push these big-group lines to your members of the conversation". */
const ROOM_LINES = 'tidings:room-lines';
/** Between nodes: "these users are out of the conversation: take your sockets of theirs out of its room". */
const ROOM_LEAVE = 'tidings:room-leave';

/** Sockets (or users) per unit of fan-out work: a direct message waits for at most one. */
export const FANOUT_CHUNK = 100;

export function createSocketServer(opts: {
  http: HttpServer;
  accounts: Accounts;
  messaging: () => Messaging;
  presence: () => PresenceTracker;
  storage: Storage;
  /** How long a sender may recall their own message (told to each client in `hello`). */
  recallWindowMs: number;
  isAllowedOrigin: (origin: string | undefined, host: string | undefined) => boolean;
  ratePoints: number;
  rateWindowS: number;
  userRatePoints?: number;
  connectsPerMinute?: number;
  /** How often every open socket's session is re-validated. */
  sessionSweepMs?: number;
  /** Where per-user and per-address limits are counted (Redis when there are several nodes). */
  limiters?: LimiterFactory;
  /** The socket.io adapter that joins several nodes (Redis); null for one node. */
  adapter?: Parameters<Server['adapter']>[0] | null;
}) {
  const io = new Server(opts.http, {
    maxHttpBufferSize: LIMITS.maxFrameBytes,
    serveClient: false,
    allowRequest: (req, callback) => {
      callback(null, opts.isAllowedOrigin(req.headers.origin, req.headers.host));
    },
  });
  const clustered = Boolean(opts.adapter);
  if (opts.adapter) io.adapter(opts.adapter);
  // Three limits (rate-limiter-flexible): per socket, per user across all their devices,
  // and new connections per client address (against reconnect floods and token guessing).
  // A socket lives on one node; a user's devices and an address's connections may be on any.
  const perSocket = new RateLimiterMemory({ points: opts.ratePoints, duration: opts.rateWindowS });
  const limiters = opts.limiters ?? memoryLimiters;
  const perUser = limiters('user', opts.userRatePoints ?? opts.ratePoints * 3, opts.rateWindowS);
  const perAddress = limiters('connect', opts.connectsPerMinute ?? 600, 60);

  io.use(async (socket, next) => {
    try {
      await perAddress.consume(socket.handshake.address || 'unknown').catch(() => {
        throw new TidingsError('rate_limited', 'Too many connections from this address. Wait a minute.');
      });
      const auth = HandshakeAuthSchema.parse(socket.handshake.auth);
      const device = await opts.accounts.authenticate(auth.token);
      socket.data = { userId: device.userId, deviceId: device.id, token: auth.token, checkedAt: Date.now() };
      next();
    } catch (err) {
      const e = errorFromUnknown(err);
      const failure = new Error(e.message) as Error & { data: unknown };
      failure.data = e.code === 'bad_request' ? { code: 'unauthorized', message: 'Sign in first.' } : e.toWire();
      next(failure);
    }
  });

  io.on('connection', (socket: Socket) => {
    const data = socket.data as SocketData;
    // In the user's room first (synchronously): from here on a group change reaches this socket.
    void socket.join([userRoom(data.userId), deviceRoom(data.deviceId)]);
    joinGroupRooms(socket, data.userId);
    log.debug({ userId: data.userId, deviceId: data.deviceId }, 'connected');
    const touchFailed = (err: unknown) => log.debug({ err, deviceId: data.deviceId }, 'could not note the device active');
    opts.storage.touchDevice(data.deviceId, Date.now()).catch(touchFailed);
    const hello: Hello = { recallWindowMs: opts.recallWindowMs, serverTime: Date.now() };
    socket.emit(SOCKET_EVENTS.hello, hello);
    const presenceFailed = (err: unknown) => log.error({ err, userId: data.userId }, 'presence update failed');
    opts.presence().connected(data.userId, socket.id).catch(presenceFailed);
    socket.on('disconnect', () => {
      joining.delete(socket.id);
      opts.presence().disconnected(data.userId, socket.id).catch(presenceFailed);
    });

    socket.on(SOCKET_EVENTS.request, async (payload: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return; // nothing to answer to; a request without an ack is ignored
      const reply = (r: Reply) => (ack as (r: Reply) => void)(r);
      try {
        await Promise.all([perSocket.consume(socket.id), perUser.consume(data.userId)]).catch(() => {
          throw new TidingsError('rate_limited', 'Too many requests. Slow down.');
        });
        const req = RequestSchema.parse(payload);
        await recheckSession(socket, data);
        const afterReply: (() => void)[] = [];
        const result = await opts.messaging().handle({ userId: data.userId, deviceId: data.deviceId, connectionId: socket.id }, req, (w) => afterReply.push(w));
        reply({ ok: true, result });
        for (const work of afterReply) work();
      } catch (err) {
        const e = errorFromUnknown(err);
        if (e.code === 'internal') log.error({ err, userId: data.userId, deviceId: data.deviceId }, 'request failed');
        reply({ ok: false, error: e.toWire() });
        if (e.code === 'unauthorized') {
          socket.emit(SOCKET_EVENTS.sessionRevoked, e.toWire());
          socket.disconnect(true);
        }
      }
    });
  });

  async function recheckSession(socket: Socket, data: SocketData) {
    const now = Date.now();
    if (now - data.checkedAt < SESSION_RECHECK_MS) return;
    await opts.accounts.authenticate(data.token);
    data.checkedAt = now;
    socket.data = data;
  }

  /**
   * Sockets still reading which groups they are in, each with the groups it was taken out of
   * meanwhile [GROUP-8]. The read happens before the join, and a removal committed after the
   * read but handled before the join would find no room to take the socket out of; it leaves
   * a note here instead, and the join skips that group.
   */
  const joining = new Map<string, Set<string>>();

  /** Big groups push on the conversation's room; a socket joins every group it is (still) in. */
  function joinGroupRooms(socket: Socket, userId: string) {
    const leftMeanwhile = new Set<string>();
    joining.set(socket.id, leftMeanwhile);
    opts.storage.groupIds(userId).then(
      (ids) => {
        joining.delete(socket.id);
        // Gone already: a join now would leave its id in the rooms for good.
        if (!socket.connected) return;
        void socket.join(ids.filter((id) => !leftMeanwhile.has(id)).map(convRoom));
      },
      (err: unknown) => {
        joining.delete(socket.id);
        log.error({ err, userId }, 'could not join group rooms');
      },
    );
  }

  /** Takes this node's sockets of these users out of the conversation's room, joined or still joining. */
  function leaveRoomHere(userIds: readonly string[], conversationId: string) {
    const { rooms } = io.of('/').adapter;
    for (const u of userIds) {
      for (const socketId of rooms.get(userRoom(u)) ?? []) {
        joining.get(socketId)?.add(conversationId);
        void io.of('/').sockets.get(socketId)?.leave(convRoom(conversationId));
      }
    }
  }

  const scheduler = new FanoutScheduler((err) => log.error({ err }, 'fan-out failed'));

  /** Pushes stored events and big-group lines, in priority tiers (services/fanout.ts). */
  const pusher: Pusher = {
    deliver(deliveries, tier) {
      scheduler.enqueue(
        tier,
        chunks(deliveries, FANOUT_CHUNK).map((part) => () => {
          part.forEach((d, i) => {
            if (i === 1) crashPoint('mid-fanout');
            io.to(userRoom(d.userId)).emit(SOCKET_EVENTS.push, d.entry);
          });
        }),
      );
    },
    room(conversationId, messages, tier) {
      if (messages.length === 0) return;
      pushRoomLines(conversationId, messages, tier);
      // Every other node pushes them to its own members, in its own tiers.
      if (clustered) io.serverSideEmit(ROOM_LINES, conversationId, messages, tier);
    },
    joinRoom(userIds, conversationId) {
      for (const u of userIds) io.in(userRoom(u)).socketsJoin(convRoom(conversationId));
    },
    leaveRoom(userIds, conversationId) {
      leaveRoomHere(userIds, conversationId);
      // Not the adapter's socketsLeave: the other nodes must note it for their joining sockets
      // too. It travels on the same ordered channel as the room lines sent before it.
      if (clustered) io.serverSideEmit(ROOM_LEAVE, userIds, conversationId);
    },
    disconnectDevice: (deviceId) => disconnectDevice(deviceId),
    typing(conversationId, userId, to) {
      const event: TypingEvent = { conversationId, userId };
      const rooms = to === 'room' ? convRoom(conversationId) : to.map(userRoom);
      io.to(rooms).except(userRoom(userId)).emit(SOCKET_EVENTS.typing, event);
    },
  };

  /** A big group's lines to this node's sockets in the conversation's room, a chunk at a time. */
  function pushRoomLines(conversationId: string, messages: readonly Message[], tier: Tier) {
    const members = [...(io.of('/').adapter.rooms.get(convRoom(conversationId)) ?? [])];
    for (const message of messages) {
      scheduler.enqueue(
        tier,
        chunks(members, FANOUT_CHUNK).map((socketIds) => () => io.local.to(socketIds).emit(SOCKET_EVENTS.room, message)),
      );
    }
  }
  if (clustered) {
    const fromNodes = io as unknown as {
      on(event: typeof ROOM_LINES, listener: (c: string, m: Message[], t: Tier) => void): void;
      on(event: typeof ROOM_LEAVE, listener: (u: string[], c: string) => void): void;
    };
    fromNodes.on(ROOM_LINES, (conversationId, messages, tier) => pushRoomLines(conversationId, messages, tier));
    fromNodes.on(ROOM_LEAVE, (userIds, conversationId) => leaveRoomHere(userIds, conversationId));
  }

  /** Ephemeral presence changes to the devices of those who show it. */
  const pushPresence = (presence: Presence, to: readonly string[]) => {
    io.to(to.map(userRoom)).emit(SOCKET_EVENTS.presence, presence);
  };

  /** Disconnects every socket of a revoked device at once, on whichever node it is. */
  const disconnectDevice = async (deviceId: string) => {
    io.in(deviceRoom(deviceId)).emit(SOCKET_EVENTS.sessionRevoked, { code: 'unauthorized', message: 'This device was signed out.' });
    io.in(deviceRoom(deviceId)).disconnectSockets(true);
  };

  // Sockets that send nothing are re-checked too: a session that expired or was revoked
  // elsewhere stops receiving pushes within one sweep.
  const sweep = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const data = socket.data as SocketData;
      opts.accounts.authenticate(data.token).then(
        () => {
          data.checkedAt = Date.now();
          // Connected counts as active: Settings shows when each device was last around.
          opts.storage.touchDevice(data.deviceId, data.checkedAt).catch((err: unknown) => log.debug({ err, deviceId: data.deviceId }, 'could not note the device active'));
        },
        (err: unknown) => {
          const e = errorFromUnknown(err);
          if (e.code !== 'unauthorized') return;
          socket.emit(SOCKET_EVENTS.sessionRevoked, e.toWire());
          socket.disconnect(true);
        },
      );
    }
  }, opts.sessionSweepMs ?? SESSION_RECHECK_MS);
  sweep.unref();

  return { io, pusher, pushPresence, scheduler, disconnectDevice, stop: () => clearInterval(sweep) };
}
