/**
 * A request written as a raw socket.io frame: for JSON that `JSON.stringify` cannot produce
 * (`1e999`, which parses to Infinity) or that a test wants byte for byte. The frame carries an
 * ack id far above the client's own, and the reply is read off the engine's packets.
 */
import type { Socket } from 'socket.io-client';
import { ReplySchema, SOCKET_EVENTS, type Reply } from '../../src/protocol';
import { EVENT_TIMEOUT_MS } from '../support/socket-client';

let nextAckId = 7_000_000;

/** Sends `["req", <payloadJson>]` with an ack id; resolves with the server's reply envelope. */
export function rawFrameRequest(socket: Socket, payloadJson: string): Promise<Reply> {
  const id = nextAckId++;
  const engine = socket.io.engine;
  return new Promise((resolve, reject) => {
    const onPacket = (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || typeof packet.data !== 'string') return;
      // socket.io ACK on the main namespace: `3<id>[reply]`.
      const m = /^3(\d+)(\[[\s\S]*)$/.exec(packet.data);
      if (!m || Number(m[1]) !== id) return;
      done();
      try {
        resolve(ReplySchema.parse((JSON.parse(m[2] as string) as unknown[])[0]));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no reply to the raw frame ${payloadJson.slice(0, 80)}`));
    }, EVENT_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      engine.off('packet', onPacket);
    };
    engine.on('packet', onPacket);
    engine.send(`2${id}[${JSON.stringify(SOCKET_EVENTS.request)},${payloadJson}]`);
  });
}
