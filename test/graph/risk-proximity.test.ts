import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { computeGraphFeatures, featureRow } from '../../src/graph/graph-features.js'
import { ent, person, rel } from './graph-fixtures.js'

const DAY = 86_400_000

describe('risk proximity', () => {
  const g = buildGraph(
    [ent('A', { legalRepPersonId: 'p1' }), ent('B', { legalRepPersonId: 'p1' }), ent('C', { blacklisted: true }),
      ent('D'), ent('E'), ent('F')],
    [person('p1'), person('p2', true)],
    [
      rel('SHAREHOLDER', 'p2', 'B', { ratio: 0.5 }), rel('GUARANTEE', 'B', 'C', { amount: 1 }),
      rel('SUPPLIER', 'A', 'D'), rel('INVESTMENT', 'E', 'A'),
    ],
  )
  const f = computeGraphFeatures(g, {
    risky: new Map([['B', 365 * DAY], ['D', null]]), dishonest: new Set(['E']), now: 2 * 365 * DAY,
  })
  const row = (u: string) => featureRow(f, f.usccs.indexOf(u))

  it('counts blacklisted persons and firms through a person as 2 hops, ignoring non-listed edge types', () => {
    // A: p1 (hop 1) → B (hop 2); dishonest E at hop 1; SUPPLIER to D is not walked
    expect(row('A')).toMatchObject({ blacklistWithin1Hop: 1, blacklistWithin2Hops: 1 })
    // B: blacklisted p2 and C at hop 1, dishonest E via p1 → A? no: E is 3 hops (B-p1-A-E)
    expect(row('B')).toMatchObject({ blacklistWithin1Hop: 2, blacklistWithin2Hops: 2 })
    // D: nothing walkable
    expect(row('D')).toMatchObject({ blacklistWithin1Hop: 0, blacklistWithin2Hops: 0 })
    // E: A at hop 1 (not bad), p1 at hop 2 (not bad)
    expect(row('E').blacklistWithin2Hops).toBe(0)
    // C: B hop 1, p2 and p1 hop 2 → p2 blacklisted
    expect(row('C')).toMatchObject({ blacklistWithin1Hop: 0, blacklistWithin2Hops: 1 })
  })

  it('counts risky direct neighbours and scores them with type weights and a one-year half-life', () => {
    expect(row('C').defaultedNeighbours1Hop).toBe(1)
    expect(row('A').defaultedNeighbours1Hop).toBe(1) // D (B is 2 hops, via p1)
    // C: guarantee (1.0) to B whose event is one year old → 0.5
    expect(row('C').neighbourRiskScore).toBeCloseTo(0.5, 12)
    // A: supplier D (0.4, no date) + legal rep p1 (0.8) × legal rep to B (0.8) × 0.5
    expect(row('A').neighbourRiskScore).toBeCloseTo(0.4 + 0.8 * 0.8 * 0.5, 12)
  })

  it('counts degrees per edge type', () => {
    expect(row('B')).toMatchObject({ degreeShareholder: 1, degreeGuarantee: 1, degreeSupply: 0 })
    expect(row('A')).toMatchObject({ degreeShareholder: 0, degreeGuarantee: 0, degreeSupply: 1 })
  })
})
