import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { computeGraphFeatures, featureRow } from '../../src/graph/graph-features.js'
import { ent, person, rel } from './graph-fixtures.js'

function features(...args: Parameters<typeof buildGraph>) {
  const g = buildGraph(...args)
  const f = computeGraphFeatures(g, { risky: new Set(['G2']), now: 0 })
  return (u: string) => featureRow(f, f.usccs.indexOf(u))
}

describe('shared-attribute communities', () => {
  it('ignores an address shared by 30 firms (registration agent): no community, no gang', () => {
    const firms = Array.from({ length: 30 }, (_, i) => ent(`H${i}`, { addressHash: 'agent', phoneHash: `ph${i % 15}` }))
    const row = features(firms, [], [])
    expect(row('H0').sharedAddressFirms).toBe(0)
    // phones pair H0 with H15 only: two firms, one kind
    expect(row('H0').sharedPhoneFirms).toBe(1)
    expect(row('H0').communitySize).toBe(2)
    expect(row('H0').gangFlag).toBe(0)
  })

  it('flags three firms linked by phone and legal representative as a gang, with their risk share', () => {
    const row = features(
      [ent('G1', { phoneHash: 'x' }), ent('G2', { phoneHash: 'x', legalRepPersonId: 'p9' }),
        ent('G3', { legalRepPersonId: 'p9' }), ent('Z')],
      [person('p9')], [rel('SUPPLIER', 'G3', 'Z')],
    )
    expect(row('G1')).toMatchObject({ sharedPhoneFirms: 1, sharedLegalRepFirms: 0, communitySize: 3, gangFlag: 1 })
    expect(row('G3')).toMatchObject({ sharedPhoneFirms: 0, sharedLegalRepFirms: 1, communitySize: 3, gangFlag: 1 })
    expect(row('G1').communityRiskShare).toBeCloseTo(0.5)
    // the risky firm's own flag is not counted
    expect(row('G2').communityRiskShare).toBe(0)
    expect(row('Z')).toMatchObject({ communitySize: 1, gangFlag: 0, communityRiskShare: 0 })
  })

  it('does not flag three firms sharing only one attribute kind', () => {
    const row = features([ent('A', { addressHash: 'a' }), ent('B', { addressHash: 'a' }), ent('C')], [],
      [rel('SAME_ADDRESS', 'B', 'C')])
    expect(row('A')).toMatchObject({ sharedAddressFirms: 2, communitySize: 3, gangFlag: 0 })
  })

  it('caps SAME_PHONE edges of a hub firm', () => {
    const firms = Array.from({ length: 25 }, (_, i) => ent(`S${i}`))
    const row = features([ent('HUB'), ...firms], [], firms.map((f) => rel('SAME_PHONE', 'HUB', f.uscc)))
    expect(row('HUB').sharedPhoneFirms).toBe(0)
    expect(row('S1').communitySize).toBe(1)
  })
})
