/** A one-to-one conversation's id is derived from its two members, so it is unique. */
export function directConversationId(a: string, b: string): string {
  const [lo, hi] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `d_${lo}_${hi}`;
}

/** The two members of a one-to-one conversation, read from its id; null for a group's id. */
export function directMemberIds(conversationId: string): [string, string] | null {
  const m = /^d_(\d+)_(\d+)$/.exec(conversationId);
  return m ? [m[1] as string, m[2] as string] : null;
}
