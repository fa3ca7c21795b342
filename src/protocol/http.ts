/** The HTTP API's bodies, the session they mint, and the socket's handshake and event names. */
import { z } from 'zod';
import { CountSchema, DeviceNameSchema, DisplayNameSchema, IdSchema, PasswordSchema, UsernameSchema } from './primitives';
import { UserPublicSchema } from './records';

export const CreateAccountBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.optional(),
  deviceName: DeviceNameSchema,
});
export const SignInBodySchema = z.strictObject({
  username: UsernameSchema,
  password: PasswordSchema,
  deviceName: DeviceNameSchema,
});
export const SessionSchema = z.strictObject({
  token: z.string(),
  deviceId: IdSchema,
  user: UserPublicSchema,
});
export type Session = z.infer<typeof SessionSchema>;

/**
 * `GET /api/demo`: the public accounts of `npm run demo`, so each demo device signs itself in
 * (with a session of its own, through `POST /api/sessions`). Only the demo's server has this
 * route; any other answers 404.
 */
export const DemoAccountsSchema = z.strictObject({
  accounts: z.array(z.strictObject({ username: UsernameSchema, password: PasswordSchema })).max(8),
});
export type DemoAccounts = z.infer<typeof DemoAccountsSchema>;

/** The socket.io handshake's `auth` payload; the token is never put in the URL. */
export const HandshakeAuthSchema = z.strictObject({
  token: z.string().min(16).max(200),
  protocol: z.literal(1),
});

/** Socket.io event names. */
export const SOCKET_EVENTS = {
  request: 'req',
  push: 'push',
  /** A message in a big group, pushed on the conversation's room without a pts. */
  room: 'room',
  sessionRevoked: 'revoked',
  /** Sent once on every connection: the server's settings the client needs, and its clock. */
  hello: 'hello',
  /** Someone is typing (ephemeral). */
  typing: 'typing',
  /** Someone's presence changed (ephemeral). */
  presence: 'presence',
} as const;

export const HelloSchema = z.strictObject({
  /** How long a sender may recall their own message. */
  recallWindowMs: CountSchema,
  /** The server's clock when it said hello: the client judges the recall window by it. */
  serverTime: CountSchema,
});
export type Hello = z.infer<typeof HelloSchema>;
