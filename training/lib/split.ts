/** Seeded, stratified splits: the same seed gives the same rows on every machine. */

/** mulberry32: small, fast and good enough for shuffling rows. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits row indices into [rest, held-out] with `fraction` of each class held out. */
export function stratifiedSplit(y: ArrayLike<number>, fraction: number, seed: number): [number[], number[]] {
  const rnd = seededRandom(seed)
  const rest: number[] = []
  const held: number[] = []
  for (const cls of [0, 1]) {
    const idx: number[] = []
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i)
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[idx[i], idx[j]] = [idx[j]!, idx[i]!]
    }
    const k = Math.round(idx.length * fraction)
    held.push(...idx.slice(0, k))
    rest.push(...idx.slice(k))
  }
  return [rest.sort((a, b) => a - b), held.sort((a, b) => a - b)]
}
