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
  | { kind: 'message'; key: string; message: StoredMessage; first: boolean; day?: number }
  | { kind: 'system'; key: string; message: StoredMessage; day?: number }
  | { kind: 'hole'; key: string; from: number; to: number };

export function logItems(conv: StoredConversation, messages: readonly StoredMessage[]): LogItem[] {
  const firstSeq = messages.find((m) => m.seq !== null)?.seq ?? 0;
  const gaps: SeqRange[] = holes(conv.ranges, conv.lastSeq, conv.firstSeq).filter(([from]) => from > firstSeq);
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

/** The message or system line a row shows, if it shows one. */
export function lineOf(item: LogItem | undefined): StoredMessage | null {
  return item && (item.kind === 'message' || item.kind === 'system') ? item.message : null;
}

/** When a line happened, for grouping by day: the server's time, or when it was written here. */
const timeOf = (m: StoredMessage) => m.serverTime ?? m.createdAt;

/**
 * Marks the first line of each local calendar day with `day` (its time), where the log shows
 * the day above it. A mark on a row, not a row of its own: older lines of the same day loaded
 * above it move the mark without inserting rows in the middle of the list, which would throw
 * the virtual list's scroll position off.
 */
export function withDays(items: readonly LogItem[], dayOf: (ms: number) => string = (ms) => new Date(ms).toDateString()): LogItem[] {
  let day: string | null = null;
  return items.map((item) => {
    if (item.kind === 'hole') return item;
    const at = timeOf(item.message);
    const d = dayOf(at);
    if (d === day) return item.day === undefined ? item : { ...item, day: undefined };
    day = d;
    return { ...item, day: at };
  });
}
