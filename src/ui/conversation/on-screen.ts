/**
 * What of the log has been on screen, from where its rows are laid out: reading moves only as
 * far as the person could have read, not to what the list renders beyond the edges for smooth
 * scrolling.
 */

/** A row of the log as laid out: the seq of the line it shows (null: a hole, a pending message). */
export interface RowBox {
  seq: number | null;
  top: number;
  bottom: number;
}

/** The visible box of the scroller. */
export interface Box {
  top: number;
  bottom: number;
}

/** Rounding of layout to device pixels leaves a row's edge a fraction of a pixel out. */
const SLACK_PX = 2;

/**
 * The newest line whose end is on screen: a row counts once its bottom edge has been inside the
 * box, so a long message counts when it has been read to its end, and the rows rendered below
 * the box (overscan) do not count at all.
 */
export function newestOnScreen(box: Box, rows: Iterable<RowBox>): number | null {
  let newest: number | null = null;
  for (const r of rows) {
    if (r.seq === null || r.bottom <= r.top) continue;
    if (r.bottom > box.top + SLACK_PX && r.bottom <= box.bottom + SLACK_PX) newest = Math.max(newest ?? r.seq, r.seq);
  }
  return newest;
}
