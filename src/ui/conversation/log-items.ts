/**
 * Turns the stored messages and held ranges of a conversation into the rows of the log:
 * messages in server order, and a `hole` row wherever the device does not hold a run of
 * seqs between (or above) the messages shown, so a hole is never shown as if nothing were
 * there. What lies below the first message shown is the log header's business (older pages).
 */
import type { StoredConversation, StoredMessage } from '../../store/db';
import { holes, type SeqRange } from '../../store/ranges';

export type LogItem =
  /** `first`: the first of a run of messages from one sender (a group shows the name there). */
  | { kind: 'message'; key: string; message: StoredMessage; first: boolean }
  | { kind: 'system'; key: string; message: StoredMessage }
  | { kind: 'hole'; key: string; from: number; to: number };

export function logItems(conv: StoredConversation, messages: readonly StoredMessage[]): LogItem[] {
  const firstSeq = messages.find((m) => m.seq !== null)?.seq ?? 0;
  const gaps: SeqRange[] = holes(conv.ranges, conv.lastSeq).filter(([from]) => from > firstSeq);
  const items: LogItem[] = [];
  const pushHole = ([from, to]: SeqRange) => items.push({ kind: 'hole', key: `hole:${from}`, from, to });
  let g = 0;
  for (const m of messages) {
    // A hole goes before the first message above it; pending messages (no seq) go last.
    while (g < gaps.length && (m.seq === null || (gaps[g] as SeqRange)[1] < m.seq)) pushHole(gaps[g++] as SeqRange);
    if (m.system) {
      items.push({ kind: 'system', key: m.key, message: m });
    } else {
      const prev = items.at(-1);
      // A recalled message shows no name, so the next one from its sender names them again.
      const first = prev?.kind !== 'message' || prev.message.senderId !== m.senderId || prev.message.recalledBy !== null;
      items.push({ kind: 'message', key: m.key, message: m, first });
    }
  }
  while (g < gaps.length) pushHole(gaps[g++] as SeqRange);
  return items;
}
