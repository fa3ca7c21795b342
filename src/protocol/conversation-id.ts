/** A one-to-one conversation's id is derived from its two members, so it is unique. */
export function directConversationId(a: string, b: string): string {
  const [lo, hi] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `d_${lo}_${hi}`;
}
