import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { computeGraphFeatures, featureRow } from '../../src/graph/graph-features.js'
import { applyRelation } from '../../src/graph/graph-incremental.js'
import { exportGnn } from '../../src/graph/gnn-export.js'
import { ent, person, rel } from './graph-fixtures.js'

describe('GNN export', () => {
  it('lists edges per type and one feature row per node', () => {
    const g = buildGraph([ent('A', { legalRepPersonId: 'p1' }), ent('B', { registeredCapital: 100 })], [person('p1')],
      [rel('GUARANTEE', 'A', 'B', { amount: 5 }), rel('SUPPLIER', 'B', 'A')])
    const f = computeGraphFeatures(g, { risky: new Set(['B']), now: 0 })
    const x = exportGnn(g, f)
    const width = x.featureNames.length
    expect(x.features.length).toBe(g.nodeCount * width)
    expect(x.edges.GUARANTEE.src.length).toBe(1)
    expect(x.edges.LEGAL_REP.src.length).toBe(1)
    expect(x.edges.SHAREHOLDER.src.length).toBe(0)
    const a = g.enterpriseIndex.get('A')!
    const col = x.featureNames.indexOf('defaultedNeighbours1Hop')
    expect(x.features[a * width + col]).toBe(1)
    expect(x.features[g.personIndex.get('p1')! * width]).toBe(1) // isPerson
  })
})

describe('oversized communities in incremental updates', () => {
  it('keep their last full-run values instead of being walked', () => {
    const firms = ['A', 'B', 'C', 'D', 'E'].map((u) => ent(u, { phoneHash: 'same' }))
    const g = buildGraph([...firms, ent('Z')], [], [])
    const f = computeGraphFeatures(g, { risky: new Set(), now: 0, params: { maxCommunityUpdate: 3 } })
    const res = applyRelation(g, rel('SAME_ADDRESS', 'A', 'Z'), f.risk, f)
    expect(res.rows.get('A')).toMatchObject({ communitySize: 5, sharedPhoneFirms: 4 })
    expect(res.rows.get('Z')).toMatchObject({ communitySize: 1, sharedAddressFirms: 0 })
    expect(featureRow(computeGraphFeatures(g, f.risk), 0).communitySize).toBe(6)
  })
})
