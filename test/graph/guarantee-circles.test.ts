import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { analyseGuarantees, guaranteeExposureAt, tarjan } from '../../src/graph/guarantee-circles.js'
import { ent, rel } from './graph-fixtures.js'

const g = buildGraph(
  ['A', 'B', 'C', 'X', 'P', 'Q', 'R', 'S'].map((u) => ent(u, { registeredCapital: 1000 })), [],
  [
    // circle A → B → C → A, fed by X
    rel('GUARANTEE', 'A', 'B', { amount: 500 }), rel('GUARANTEE', 'B', 'C', { amount: 3000 }), rel('GUARANTEE', 'C', 'A'),
    rel('GUARANTEE', 'X', 'A'),
    // chain P → Q → R, and an unrelated supplier link
    rel('GUARANTEE', 'P', 'Q'), rel('GUARANTEE', 'Q', 'R'), rel('SUPPLIER', 'R', 'S'),
  ],
)

function at(id: string): { circle: number; chain: number } {
  const r = analyseGuarantees(g)
  const v = g.enterpriseIndex.get(id)!
  return { circle: r.inCircle[v]!, chain: r.chain[v]! }
}

describe('guarantee circles', () => {
  it('finds the 3-circle and not the chain', () => {
    expect(['A', 'B', 'C'].map((u) => at(u).circle)).toEqual([1, 1, 1])
    expect(['X', 'P', 'Q', 'R', 'S'].map((u) => at(u).circle)).toEqual([0, 0, 0, 0, 0])
  })

  it('measures the longest chain through each firm in firms minus one, a circle counting all its firms', () => {
    expect(['P', 'Q', 'R'].map((u) => at(u).chain)).toEqual([2, 2, 2])
    expect(['X', 'A', 'B', 'C'].map((u) => at(u).chain)).toEqual([3, 3, 3, 3])
    expect(at('S').chain).toBe(0)
  })

  it('gives the same answer on a weak component as on the whole graph', () => {
    const nodes = ['X', 'A', 'B', 'C'].map((u) => g.enterpriseIndex.get(u)!)
    const part = analyseGuarantees(g, nodes)
    expect(Array.from(part.inCircle)).toEqual([0, 1, 1, 1])
    expect(Array.from(part.chain)).toEqual([3, 3, 3, 3])
  })

  it('computes guarantees given over registered capital', () => {
    expect(guaranteeExposureAt(g, g.enterpriseIndex.get('B')!)).toBe(3)
    expect(guaranteeExposureAt(g, g.enterpriseIndex.get('R')!)).toBe(0)
  })

  it('runs Tarjan without recursion on a 300k-node cycle', () => {
    const L = 300_000
    const start = Int32Array.from({ length: L + 1 }, (_, i) => i)
    const adj = Int32Array.from({ length: L }, (_, i) => (i + 1) % L)
    const { comp, compCount } = tarjan(L, start, adj)
    expect(compCount).toBe(1)
    expect(comp[L - 1]).toBe(0)
  })
})
