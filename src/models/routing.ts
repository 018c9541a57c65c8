/**
 * Champion/challenger split by USCC: FNV-1a (32-bit) of the USCC's UTF-8 bytes, mod 10,000, below
 * traffic·10,000 → challenger. Deterministic across nodes and restarts, so an enterprise always meets the same
 * model while the share is unchanged, and raising the share only moves champion enterprises to the challenger.
 */
export const ROUTING_BUCKETS = 10_000

export function fnv1a32(text: string): number {
  let h = 0x811c9dc5
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

export const routingBucket = (uscc: string): number => fnv1a32(uscc) % ROUTING_BUCKETS

export function isChallenger(uscc: string, traffic: number): boolean {
  return routingBucket(uscc) < Math.round(traffic * ROUTING_BUCKETS)
}
