/**
 * What counts as unread, one function for the server (which counts for the conversation list
 * of a new device and after every read) and the client (which counts what arrives after).
 * Unread = the messages above the read position that are from someone else, not recalled and
 * not system lines. Both sides running the same code is what keeps every device's count equal.
 */

/** The parts of a stored line the rule looks at. */
export interface UnreadLine {
  seq: number | null;
  senderId: string;
  system: unknown;
  recalledBy: string | null;
}

/** Whether a line above the read position counts toward the unread number. */
export function countsAsUnread(line: UnreadLine, me: string): boolean {
  return line.senderId !== me && line.system === null && line.recalledBy === null;
}

/** Unread lines among `lines` with `after < seq <= upTo`. */
export function unreadCount(lines: Iterable<UnreadLine>, me: string, after: number, upTo = Number.MAX_SAFE_INTEGER): number {
  let n = 0;
  for (const l of lines) {
    if (l.seq !== null && l.seq > after && l.seq <= upTo && countsAsUnread(l, me)) n++;
  }
  return n;
}
