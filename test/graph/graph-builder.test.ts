import { describe, expect, it } from 'vitest'
import { buildGraph, createGraphBuilder } from '../../src/graph/graph-builder.js'
import { addRelation } from '../../src/graph/graph-update.js'
import { type CreditGraph, forEachIncident } from '../../src/graph/graph.js'
import { EDGE_CODE, edgeTypeName } from '../../src/graph/edge-types.js'
import { ent, person, rel } from './graph-fixtures.js'

function incident(g: CreditGraph, id: string): string[] {
  const v = g.enterpriseIndex.get(id) ?? g.personIndex.get(id)!
  const out: string[] = []
  forEachIncident(g, v, (x, e, isOut) => out.push(`${isOut ? '>' : '<'}${g.ids[x]}:${edgeTypeName(g.type[e]!)}`))
  return out.sort()
}

describe('graph builder', () => {
  it('builds CSR in both directions from rows in any order, creating placeholders', () => {
    const b = createGraphBuilder()
    b.addRelations([rel('SUPPLIER', 'A', 'B'), rel('SHAREHOLDER', 'p1', 'A', { ratio: 0.6 })])
    b.addEnterprises([ent('A'), ent('B', { registeredCapital: 5 })])
    b.addPersons([person('p1', true)])
    b.addRelations([rel('GUARANTEE', 'B', 'C', { amount: 100 })])
    const g = b.build()
    expect(g.enterpriseCount).toBe(3)
    expect(g.placeholder[g.enterpriseIndex.get('C')!]).toBe(1)
    expect(g.placeholder[g.enterpriseIndex.get('B')!]).toBe(0)
    expect(g.blacklisted[g.personIndex.get('p1')!]).toBe(1)
    expect(incident(g, 'A')).toEqual(['<p1:SHAREHOLDER', '>B:SUPPLIER'])
    expect(incident(g, 'B')).toEqual(['<A:SUPPLIER', '>C:GUARANTEE'])
    expect(g.registeredCapital[g.enterpriseIndex.get('B')!]).toBe(5)
  })

  it('drops duplicates, sums duplicate guarantee amounts, merges legal rep fields with LEGAL_REP rows', () => {
    const g = buildGraph(
      [ent('A', { legalRepPersonId: 'p1' }), ent('B')], [person('p1')],
      [
        rel('LEGAL_REP', 'p1', 'A'), rel('SUPPLIER', 'A', 'B'), rel('SUPPLIER', 'A', 'B'),
        rel('GUARANTEE', 'A', 'B', { amount: 100 }), rel('GUARANTEE', 'A', 'B', { amount: 50 }), rel('SUPPLIER', 'A', 'A'),
      ],
    )
    expect(incident(g, 'A')).toEqual(['<p1:LEGAL_REP', '>B:GUARANTEE', '>B:SUPPLIER'])
    let amount = 0
    for (let e = 0; e < g.edgeCount; e++) if (g.type[e] === EDGE_CODE.GUARANTEE) amount += g.amount[e]!
    expect(amount).toBe(150)
  })

  it('skips relations that ended on or before asOf', () => {
    const g = buildGraph([ent('A'), ent('B')], [], [rel('SUPPLIER', 'A', 'B', { until: '2020-01-01' })], { asOf: '2024-01-01' })
    expect(g.edgeCount).toBe(0)
  })

  it('sees overflow edges at once and keeps them after the next compaction', () => {
    const g = buildGraph([ent('A'), ent('B')], [], [rel('SUPPLIER', 'A', 'B')])
    const change = addRelation(g, rel('GUARANTEE', 'B', 'D', { amount: 10 }))
    expect(change?.duplicate).toBe(false)
    expect(addRelation(g, rel('SUPPLIER', 'A', 'B'))?.duplicate).toBe(true)
    expect(incident(g, 'B')).toEqual(['<A:SUPPLIER', '>D:GUARANTEE'])
    expect(incident(g, 'D')).toEqual(['<B:GUARANTEE'])
  })
})
