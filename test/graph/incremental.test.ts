import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EnterpriseRow, RelationRow } from '../../src/enterprises/enterprises.types.js'
import { EDGE_TYPES } from '../../src/graph/edge-types.js'
import { buildGraph } from '../../src/graph/graph-builder.js'
import {
  GRAPH_FEATURE_NAMES, type GraphFeatureRow, computeGraphFeatures, computeNeighbourhoodFeatures, featureRow,
} from '../../src/graph/graph-features.js'
import { applyEnterprise, applyRelation } from '../../src/graph/graph-incremental.js'
import type { RiskInput } from '../../src/graph/risk-state.js'
import { ent, person } from './graph-fixtures.js'

const FIRMS = 10
const PERSONS = 4
const firmId = (i: number) => `F${i}`
const personId = (i: number) => `p${i}`

const endpoint = fc.tuple(fc.boolean(), fc.nat()).map(([isPerson, i]) =>
  (isPerson ? { type: 'person' as const, id: personId(i % PERSONS) } : { type: 'enterprise' as const, id: firmId(i % (FIRMS + 3)) }))
const relation = fc.record({
  type: fc.constantFrom(...EDGE_TYPES, 'GUARANTEE', 'LEGAL_REP', 'SAME_PHONE'),
  from: endpoint, to: endpoint, amount: fc.integer({ min: 0, max: 5000 }),
}).map(({ type, from, to, amount }): RelationRow => ({
  type, fromType: from.type, fromId: from.id, toType: to.type, toId: to.id, amount, ratio: 0.3,
}))
const firm = (i: number) => fc.record({
  phone: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
  address: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  rep: fc.option(fc.nat(PERSONS - 1).map(personId), { nil: undefined }),
  blacklisted: fc.nat(3).map((x) => x === 0),
  capital: fc.integer({ min: 0, max: 10_000 }),
}).map((r): EnterpriseRow => ent(firmId(i), {
  phoneHash: r.phone ?? null, addressHash: r.address ?? null, legalRepPersonId: r.rep ?? null,
  blacklisted: r.blacklisted, registeredCapital: r.capital,
}))
const scenario = fc.record({
  firms: fc.tuple(...Array.from({ length: FIRMS }, (_, i) => firm(i))),
  blacklistedPersons: fc.array(fc.boolean(), { minLength: PERSONS, maxLength: PERSONS }),
  base: fc.array(relation, { maxLength: 25 }),
  changes: fc.array(fc.oneof(
    relation.map((r) => ({ kind: 'relation' as const, r })),
    fc.nat(2).chain((k) => firm(FIRMS + k)).map((e) => ({ kind: 'enterprise' as const, e })),
  ), { minLength: 1, maxLength: 4 }),
  risky: fc.array(fc.tuple(fc.nat(FIRMS - 1), fc.integer({ min: 0, max: 1000 })), { maxLength: 4 }),
  hubCap: fc.integer({ min: 1, max: 4 }),
})

const LOCAL = GRAPH_FEATURE_NAMES.filter((n) => n !== 'pageRank' && n !== 'defaultProximity')

function expectSameLocal(got: GraphFeatureRow | undefined, want: GraphFeatureRow, uscc: string): void {
  expect(got, uscc).toBeDefined()
  for (const k of LOCAL) expect(got![k], `${uscc}.${k}`).toBeCloseTo(want[k], 9)
}

describe('incremental update', () => {
  it('recomputing the affected firms after each change equals a full recompute of the final graph', () => {
    fc.assert(fc.property(scenario, (s) => {
      const persons = Array.from({ length: PERSONS }, (_, i) => person(personId(i), s.blacklistedPersons[i]))
      const input: RiskInput = {
        risky: new Map(s.risky.map(([i, day]) => [firmId(i), day * 86_400_000])), now: 1000 * 86_400_000,
        dishonest: new Set([firmId(1)]), params: { hubCap: s.hubCap },
      }
      const g = buildGraph(s.firms, persons, s.base)
      const f0 = computeGraphFeatures(g, input)
      const current = new Map(f0.usccs.map((u, i) => [u, featureRow(f0, i)]))
      const enterprises = [...s.firms]
      const relations = [...s.base]
      for (const c of s.changes) {
        if (c.kind === 'relation') {
          relations.push(c.r)
          for (const [u, row] of applyRelation(g, c.r, f0.risk, f0).rows) current.set(u, row)
        } else {
          if (g.enterpriseIndex.has(c.e.uscc) && g.placeholder[g.enterpriseIndex.get(c.e.uscc)!] === 0) continue
          enterprises.push(c.e)
          for (const [u, row] of applyEnterprise(g, c.e, f0.risk, f0).rows) current.set(u, row)
        }
      }
      const full = computeGraphFeatures(buildGraph(enterprises, persons, relations), input)
      full.usccs.forEach((u, i) => expectSameLocal(current.get(u), featureRow(full, i), u))
    }), { numRuns: 300 })
  })

  it('per-firm pull equals the full push pass on an unchanged graph', () => {
    fc.assert(fc.property(scenario, (s) => {
      const persons = Array.from({ length: PERSONS }, (_, i) => person(personId(i), s.blacklistedPersons[i]))
      const g = buildGraph(s.firms, persons, s.base)
      const f = computeGraphFeatures(g, { risky: new Map(s.risky.map(([i, d]) => [firmId(i), d])), now: 5e8 })
      const rows = computeNeighbourhoodFeatures(g, f.usccs, f.risk, f)
      f.usccs.forEach((u, i) => expectSameLocal(rows.get(u), featureRow(f, i), u))
    }), { numRuns: 200 })
  })
})
