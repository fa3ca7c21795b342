/**
 * Talking to the server directly, as a headless device: for setting up lots of history fast
 * instead of typing it into the UI. Uses the protocol of src/protocol.
 */
import { io, type Socket } from 'socket.io-client';
import { v4 as uuidv4 } from 'uuid';
import { PROTOCOL_VERSION, SOCKET_EVENTS, type RequestInput, type Session } from '../../src/protocol';
import { PASSWORD } from './ui';

async function post(url: string, path: string, body: unknown): Promise<Session> {
  const res = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Session;
}

export function createAccount(url: string, username: string, displayName?: string): Promise<Session> {
  return post(url, '/api/accounts', { username, password: PASSWORD, deviceName: 'e2e script', ...(displayName ? { displayName } : {}) });
}

export function createSession(url: string, username: string): Promise<Session> {
  return post(url, '/api/sessions', { username, password: PASSWORD, deviceName: 'e2e script' });
}

export class ApiDevice {
  private constructor(private readonly socket: Socket) {}

  static async connect(url: string, token: string): Promise<ApiDevice> {
    const socket = io(url, { auth: { token, protocol: PROTOCOL_VERSION }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });
    return new ApiDevice(socket);
  }

  async request<T = unknown>(req: RequestInput): Promise<T> {
    const reply = (await this.socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.request, req)) as
      | { ok: true; result: T }
      | { ok: false; error: { code: string; message: string } };
    if (!reply.ok) throw new Error(`${req.type} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.result;
  }

  async openDirect(username: string): Promise<string> {
    const r = await this.request<{ conversation: { id: string } }>({ type: 'openDirect', username });
    return r.conversation.id;
  }

  async send(conversationId: string, text: string, replyToSeq?: number): Promise<number> {
    const r = await this.request<{ seq: number }>({ type: 'send', conversationId, clientMsgId: uuidv4(), text, ...(replyToSeq ? { replyToSeq } : {}) });
    return r.seq;
  }

  close(): void {
    this.socket.disconnect();
  }
}
