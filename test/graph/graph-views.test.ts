import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { neighbourhood, shortestPathsToCustomers } from '../../src/graph/graph-views.js'
import { ent, person, rel } from './graph-fixtures.js'

const g = buildGraph(
  ['A', 'B', 'C', 'D', 'E'].map((u) => ent(u)), [person('p1')],
  [
    rel('LEGAL_REP', 'p1', 'A'), rel('LEGAL_REP', 'p1', 'B'), rel('SUPPLIER', 'B', 'C'), rel('GUARANTEE', 'C', 'D'),
    rel('SUPPLIER', 'A', 'E'),
  ],
)
const customers = new Set(['C', 'D', 'E'].map((u) => g.enterpriseIndex.get(u)!))

describe('graph views', () => {
  it('returns the neighbourhood to the requested depth with its edges', () => {
    const n = neighbourhood(g, 'A', { depth: 2 })!
    expect(n.nodes.map((x) => `${x.id}@${x.depth}`).sort()).toEqual(['A@0', 'B@2', 'E@1', 'p1@1'])
    expect(n.edges).toHaveLength(3)
    expect(n.truncated).toBe(false)
  })

  it('caps the neighbourhood and says so', () => {
    const n = neighbourhood(g, 'A', { depth: 3, maxNodes: 3 })!
    expect(n.nodes).toHaveLength(3)
    expect(n.truncated).toBe(true)
  })

  it('filters by edge type and rejects bad depth', () => {
    expect(neighbourhood(g, 'A', { depth: 3, types: ['SUPPLIER'] })!.nodes.map((x) => x.id)).toEqual(['A', 'E'])
    expect(() => neighbourhood(g, 'A', { depth: 4 })).toThrow(RangeError)
    expect(neighbourhood(g, 'nope', { depth: 1 })).toBeUndefined()
  })

  it('finds the shortest paths to customers, nearest first, within maxHops', () => {
    const paths = shortestPathsToCustomers(g, 'A', { maxHops: 3, isCustomer: (v) => customers.has(v) })!
    expect(paths).toEqual([
      { nodes: [{ type: 'enterprise', id: 'A' }, { type: 'enterprise', id: 'E' }], edgeTypes: ['SUPPLIER'] },
      {
        nodes: [{ type: 'enterprise', id: 'A' }, { type: 'person', id: 'p1' }, { type: 'enterprise', id: 'B' },
          { type: 'enterprise', id: 'C' }],
        edgeTypes: ['LEGAL_REP', 'LEGAL_REP', 'SUPPLIER'],
      },
    ])
    expect(shortestPathsToCustomers(g, 'A', { maxHops: 2, isCustomer: (v) => customers.has(v) })!).toHaveLength(1)
    expect(shortestPathsToCustomers(g, 'A', { maxHops: 3, k: 1, isCustomer: (v) => customers.has(v) })!).toHaveLength(1)
  })
})
