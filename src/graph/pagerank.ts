/**
 * PageRank and personalised PageRank by power iteration on the CSR arrays, treating every relation as an
 * undirected link (risk and influence travel both ways along ownership, guarantees and trade).
 * Overflow edges are not read: compact the graph first (computeGraphFeatures does).
 */
import { type CreditGraph, KIND_ENTERPRISE } from './graph.js'

export interface PageRankOptions {
  damping: number
  maxIterations: number
  tolerance: number
}

/**
 * Stationary distribution with teleport vector `teleport` (sums to 1; uniform when omitted); dangling mass
 * goes back to the teleport vector. Returns raw probabilities over all nodes and the iterations used.
 */
export function pageRank(
  g: CreditGraph, options: PageRankOptions, teleport?: Float64Array,
): { rank: Float64Array; iterations: number } {
  const n = g.csrNodeCount
  if (g.extraOut.size > 0 || g.nodeCount !== n) throw new Error('pageRank needs a compacted graph')
  const { outStart, inStart, inEdges, src, dst } = g
  const tele = teleport ?? new Float64Array(n).fill(1 / n)
  const invDeg = new Float64Array(n)
  for (let v = 0; v < n; v++) {
    const deg = outStart[v + 1]! - outStart[v]! + inStart[v + 1]! - inStart[v]!
    invDeg[v] = deg > 0 ? 1 / deg : 0
  }
  let x = Float64Array.from(tele)
  let next = new Float64Array(n)
  const contrib = new Float64Array(n)
  const d = options.damping
  let iterations = 0
  for (; iterations < options.maxIterations; iterations++) {
    let dangling = 0
    for (let v = 0; v < n; v++) {
      if (invDeg[v] === 0) dangling += x[v]!
      contrib[v] = x[v]! * invDeg[v]!
    }
    const base = 1 - d + d * dangling
    let delta = 0
    for (let v = 0; v < n; v++) {
      let sum = 0
      const oEnd = outStart[v + 1]!
      for (let e = outStart[v]!; e < oEnd; e++) sum += contrib[dst[e]!]!
      const iEnd = inStart[v + 1]!
      for (let k = inStart[v]!; k < iEnd; k++) sum += contrib[src[inEdges[k]!]!]!
      const val = base * tele[v]! + d * sum
      next[v] = val
      delta += Math.abs(val - x[v]!)
    }
    const t = x; x = next; next = t
    if (delta < options.tolerance) { iterations++; break }
  }
  return { rank: x, iterations }
}

/** Scales ranks so that their mean over enterprises is 1 (comparable across graph sizes and snapshots). */
export function scaleToEnterpriseMean(g: CreditGraph, rank: Float64Array): Float64Array {
  let sum = 0
  for (let i = 0; i < g.enterpriseCount; i++) sum += rank[g.enterpriseNodes[i]!]!
  const out = new Float64Array(rank.length)
  if (sum <= 0) return out
  const k = g.enterpriseCount / sum
  for (let v = 0; v < rank.length; v++) out[v] = rank[v]! * k
  return out
}

/** Teleport vector uniform over the seed nodes, or null when there are none. */
export function seedTeleport(g: CreditGraph, isSeed: (v: number) => boolean): Float64Array | null {
  const n = g.csrNodeCount
  const t = new Float64Array(n)
  let count = 0
  for (let v = 0; v < n; v++) if (g.kind[v] === KIND_ENTERPRISE && isSeed(v)) { t[v] = 1; count++ }
  if (count === 0) return null
  for (let v = 0; v < n; v++) t[v]! /= count
  return t
}
