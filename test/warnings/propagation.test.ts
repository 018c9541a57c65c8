import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EnterpriseRow, RelationRow } from '../../src/enterprises/enterprises.types.js'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { compileRuleSet } from '../../src/rules/compile.js'
import { propagate } from '../../src/warnings/propagation.js'

const rules = compileRuleSet(JSON.parse(readFileSync('rules/warning-propagation.json', 'utf8')), { file: 'warning-propagation.json' })

const firm = (id: string): EnterpriseRow => ({ uscc: id, name: id, establishedOn: '2015-01-01', registeredCapital: 1e6, industryCode: 'C', regionCode: '330106', status: 'ACTIVE' })
const rel = (type: RelationRow['type'], fromId: string, toId: string, extra: Partial<RelationRow> = {}): RelationRow =>
  ({ type, fromType: extra.fromType ?? 'enterprise', fromId, toType: 'enterprise', toId, ...extra })

function graphOf(ids: string[], relations: RelationRow[], persons: string[] = []) {
  return buildGraph(ids.map(firm), persons.map((id) => ({ id, nameMasked: id, birthYear: 1970 })), relations)
}
const byUscc = (list: ReturnType<typeof propagate>) => Object.fromEntries(list.map((p) => [p.uscc, p]))

describe('propagation over the six dimensions', () => {
  it('SHAREHOLDER: the warned firm holds shares of X; 20% against a MEDIUM source gives nothing, 40% gives LOW, 60% the same level', () => {
    const g = graphOf(['W', 'X20', 'X40', 'X60'], [
      rel('SHAREHOLDER', 'W', 'X20', { ratio: 0.2 }), rel('SHAREHOLDER', 'W', 'X40', { ratio: 0.4 }), rel('INVESTMENT', 'W', 'X60', { ratio: 0.6 }),
    ])
    const out = byUscc(propagate(g, rules, 'W', 'MEDIUM'))
    expect(out.X20).toBeUndefined()
    expect(out.X40).toMatchObject({ level: 'LOW', reasons: ['WP-SHAREHOLDER-MAJOR'] })
    expect(out.X60).toMatchObject({ level: 'MEDIUM', reasons: ['WP-SHAREHOLDER-CONTROLLING'] })
    expect(out.X40!.path).toEqual({
      dimension: 'SHAREHOLDER', depth: 1, nodes: [{ id: 'W', kind: 'enterprise' }, { id: 'X40', kind: 'enterprise' }],
      hops: [{ relation: 'SHAREHOLDER', from: 'W', to: 'X40', ratio: 0.4, amount: null }], shareholdingRatio: 0.4, tradeShare: null, guaranteeRole: null,
    })
    // with a HIGH source the 20% holder's firm gets LOW (two levels lower) and 4% still nothing
    const high = byUscc(propagate(graphOf(['W', 'X20', 'X4'], [rel('SHAREHOLDER', 'W', 'X20', { ratio: 0.2 }), rel('SHAREHOLDER', 'W', 'X4', { ratio: 0.04 })]), rules, 'W', 'HIGH'))
    expect(high.X20?.level).toBe('LOW')
    expect(high.X4).toBeUndefined()
  })

  it('SHAREHOLDER at depth 2 multiplies the shares along the chain and keeps both hops', () => {
    const g = graphOf(['W', 'A', 'X', 'Y'], [
      rel('SHAREHOLDER', 'W', 'A', { ratio: 0.9 }), rel('SHAREHOLDER', 'A', 'X', { ratio: 0.8 }), rel('SHAREHOLDER', 'A', 'Y', { ratio: 0.5 }),
    ])
    const out = byUscc(propagate(g, rules, 'W', 'HIGH'))
    expect(out.A).toMatchObject({ level: 'HIGH' })
    expect(out.X).toMatchObject({ level: 'MEDIUM', reasons: ['WP-SHAREHOLDER-CONTROLLING-2HOP'] })
    expect(out.X!.path.depth).toBe(2)
    expect(out.X!.path.shareholdingRatio).toBeCloseTo(0.72, 10)
    expect(out.X!.path.nodes.map((n) => n.id)).toEqual(['W', 'A', 'X'])
    expect(out.X!.path.hops.map((h) => [h.from, h.to, h.ratio])).toEqual([['W', 'A', 0.9], ['A', 'X', 0.8]])
    expect(out.Y).toBeUndefined() // 0.9 × 0.5 = 45% two hops away: below the 50% of the 2-hop rule
  })

  it('EQUITY_HOLDING: X holds shares of the warned firm (controlled subsidiary one level lower, 20-50% two lower)', () => {
    const g = graphOf(['W', 'P51', 'P25', 'P10'], [
      rel('SHAREHOLDER', 'P51', 'W', { ratio: 0.51 }), rel('SHAREHOLDER', 'P25', 'W', { ratio: 0.25 }), rel('SHAREHOLDER', 'P10', 'W', { ratio: 0.1 }),
    ])
    const out = byUscc(propagate(g, rules, 'W', 'HIGH'))
    expect(out.P51).toMatchObject({ level: 'MEDIUM', reasons: ['WP-EQUITY-HOLDING-CONTROLLED'] })
    expect(out.P51!.path.dimension).toBe('EQUITY_HOLDING')
    expect(out.P25).toMatchObject({ level: 'LOW' })
    expect(out.P10).toBeUndefined()
  })

  it('EXECUTIVE: a person in office at both firms; the person is kept in the path; not at depth 2', () => {
    const g = graphOf(['W', 'X', 'Z'], [
      rel('LEGAL_REP', 'P1', 'W', { fromType: 'person' }), rel('EXECUTIVE', 'P1', 'X', { fromType: 'person' }),
      rel('LEGAL_REP', 'P2', 'X', { fromType: 'person' }), rel('EXECUTIVE', 'P2', 'Z', { fromType: 'person' }),
    ], ['P1', 'P2'])
    const out = byUscc(propagate(g, rules, 'W', 'HIGH'))
    expect(out.X).toMatchObject({ level: 'MEDIUM', reasons: ['WP-EXECUTIVE'] })
    expect(out.X!.path.nodes).toEqual([{ id: 'W', kind: 'enterprise' }, { id: 'P1', kind: 'person' }, { id: 'X', kind: 'enterprise' }])
    expect(out.X!.path.hops.map((h) => h.relation)).toEqual(['LEGAL_REP', 'EXECUTIVE'])
    expect(out.Z).toBeUndefined()
  })

  it('SUPPLIER and CUSTOMER: only a main trading partner (≥ 30% of purchases or sales) passes one level lower', () => {
    const suppliers = ['S2', 'S3', 'S4']
    const g = graphOf(['W', 'X', 'Y', 'C', ...suppliers], [
      rel('SUPPLIER', 'W', 'X'), // W supplies X alone: 100% of X's purchases
      rel('SUPPLIER', 'W', 'Y', { amount: 100 }), ...suppliers.map((s) => rel('SUPPLIER', s, 'Y', { amount: 300 })), // 10% of Y's purchases
      rel('CUSTOMER', 'W', 'C'), // W buys from C: W is C's main customer
    ])
    const out = byUscc(propagate(g, rules, 'W', 'HIGH'))
    expect(out.X).toMatchObject({ level: 'MEDIUM', reasons: ['WP-SUPPLIER-MAIN'] })
    expect(out.X!.path).toMatchObject({ dimension: 'SUPPLIER', tradeShare: 1 })
    expect(out.Y).toBeUndefined()
    expect(out.C).toMatchObject({ level: 'MEDIUM', reasons: ['WP-CUSTOMER-MAIN'] })
    expect(out.C!.path).toMatchObject({ dimension: 'CUSTOMER', tradeShare: 1 })
  })

  it('GUARANTEE: the guarantor of the warned firm gets the same level, the guaranteed one lower, a 2-hop guarantor one lower', () => {
    const g = graphOf(['W', 'G', 'GG', 'B'], [
      rel('GUARANTEE', 'G', 'W', { amount: 5e6 }), rel('GUARANTEE', 'GG', 'G', { amount: 1e6 }), rel('GUARANTEE', 'W', 'B', { amount: 2e6 }),
    ])
    const out = byUscc(propagate(g, rules, 'W', 'HIGH'))
    expect(out.G).toMatchObject({ level: 'HIGH', reasons: ['WP-GUARANTOR'] })
    expect(out.G!.path).toMatchObject({ guaranteeRole: 'GUARANTOR', hops: [{ relation: 'GUARANTEE', from: 'G', to: 'W', amount: 5e6, ratio: null }] })
    expect(out.B).toMatchObject({ level: 'MEDIUM', reasons: ['WP-GUARANTEED'] })
    expect(out.GG).toMatchObject({ level: 'MEDIUM', reasons: ['WP-GUARANTOR-2HOP'] })
    expect(out.GG!.path.nodes.map((n) => n.id)).toEqual(['W', 'G', 'GG'])
  })

  it('keeps the highest level when a firm is reached along several dimensions, and never warns the source itself', () => {
    const g = graphOf(['W', 'X'], [rel('SUPPLIER', 'W', 'X'), rel('GUARANTEE', 'X', 'W'), rel('GUARANTEE', 'W', 'X')])
    const out = propagate(g, rules, 'W', 'HIGH')
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({ uscc: 'X', level: 'HIGH', reasons: ['WP-GUARANTOR'] })
    expect(propagate(g, rules, 'NOT-THERE', 'HIGH')).toEqual([])
  })
})
