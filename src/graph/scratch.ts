/** A visited-marker array reused across traversals: bumping the generation clears it in O(1). */
export interface Visited {
  stamp: Int32Array
  gen: number
}

export function createVisited(n: number): Visited {
  return { stamp: new Int32Array(Math.max(n, 16)), gen: 0 }
}

/** Starts a new traversal over n nodes (grows the array when the graph grew). */
export function nextGeneration(v: Visited, n: number): number {
  if (v.stamp.length < n) v.stamp = new Int32Array(Math.max(n, v.stamp.length * 2))
  if (v.gen === 0x7fffffff) { v.stamp.fill(0); v.gen = 0 }
  return ++v.gen
}

const pool: Visited[] = []

/**
 * A module-wide marker array per slot, so small incremental traversals do not allocate one per call on a
 * million-node graph. Callers use distinct slots when their traversals interleave; JS runs them one at a time.
 */
export function pooledVisited(slot: number): Visited {
  let v = pool[slot]
  if (!v) { v = createVisited(16); pool[slot] = v }
  return v
}
