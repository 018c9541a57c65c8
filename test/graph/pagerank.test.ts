import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { pageRank, scaleToEnterpriseMean, seedTeleport } from '../../src/graph/pagerank.js'
import { ent, rel } from './graph-fixtures.js'

const opts = { damping: 0.85, maxIterations: 500, tolerance: 1e-14 }

/** Solves x = (1-d)t + d(W x + dangling·t) directly (Gaussian elimination) for a reference answer. */
function exact(n: number, links: Array<[number, number]>, t: number[]): number[] {
  const deg = new Array(n).fill(0)
  for (const [a, b] of links) { deg[a]++; deg[b]++ }
  // (I - dW - d t·dangling^T) x = (1-d) t
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))
  for (const [a, b] of links) { A[b]![a]! -= 0.85 / deg[a]; A[a]![b]! -= 0.85 / deg[b] }
  for (let j = 0; j < n; j++) if (deg[j] === 0) for (let i = 0; i < n; i++) A[i]![j]! -= 0.85 * t[i]!
  const rhs = t.map((x) => 0.15 * x)
  for (let c = 0; c < n; c++) {
    for (let r = c + 1; r < n; r++) {
      const k = A[r]![c]! / A[c]![c]!
      for (let j = c; j < n; j++) A[r]![j]! -= k * A[c]![j]!
      rhs[r]! -= k * rhs[c]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = rhs[r]!
    for (let j = r + 1; j < n; j++) s -= A[r]![j]! * x[j]!
    x[r] = s / A[r]![r]!
  }
  return x
}

describe('pageRank', () => {
  // star A-B, A-C, A-D, a pendant pair D-E, and an isolated F (dangling)
  const ids = ['A', 'B', 'C', 'D', 'E', 'F']
  const links: Array<[number, number]> = [[0, 1], [0, 2], [0, 3], [3, 4]]
  const g = buildGraph(ids.map((u) => ent(u)), [], links.map(([a, b]) => rel('SUPPLIER', ids[a]!, ids[b]!)))

  it('matches the direct linear solution', () => {
    const { rank } = pageRank(g, opts)
    const want = exact(6, links, new Array(6).fill(1 / 6))
    ids.forEach((_, i) => expect(rank[i]).toBeCloseTo(want[i]!, 10))
    expect(rank.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it('is uniform on a cycle and scales to mean 1 over enterprises', () => {
    const cyc = buildGraph(['a', 'b', 'c', 'd'].map((u) => ent(u)), [],
      [rel('SUPPLIER', 'a', 'b'), rel('SUPPLIER', 'b', 'c'), rel('SUPPLIER', 'c', 'd'), rel('SUPPLIER', 'd', 'a')])
    const scaled = scaleToEnterpriseMean(cyc, pageRank(cyc, opts).rank)
    expect(Array.from(scaled).map((x) => Number(x.toFixed(9)))).toEqual([1, 1, 1, 1])
  })

  it('personalised on seeds matches the direct solution with the seed teleport', () => {
    const tele = seedTeleport(g, (v) => v === 4)!
    const { rank } = pageRank(g, opts, tele)
    const want = exact(6, links, [0, 0, 0, 0, 1, 0])
    ids.forEach((_, i) => expect(rank[i]).toBeCloseTo(want[i]!, 10))
    expect(rank[3]!).toBeGreaterThan(rank[1]!) // D, next to the seed, outranks B
  })
})
