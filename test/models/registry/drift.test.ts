import { describe, expect, it } from 'vitest'
import { driftBand, missingBySource, psi } from '../../../src/models/drift.js'
import { fnv1a32, isChallenger, routingBucket } from '../../../src/models/routing.js'

describe('psi', () => {
  const baseline = { edges: [10, 20, 30], shares: [0.2, 0.3, 0.3, 0.1], missingShare: 0.1 }

  it('is 0 on the baseline distribution and bins like training (bin k = #edges ≤ v, missing apart)', () => {
    const values = [...Array(20).fill(5), ...Array(30).fill(10), ...Array(30).fill(25), ...Array(10).fill(30), ...Array(10).fill(null)]
    const r = psi(baseline, values)!
    expect(r.value).toBe(0)
    expect(r.band).toBe('stable')
    expect(r.bins.map((b) => b.actual)).toEqual([0.2, 0.3, 0.3, 0.1, 0.1])
    expect(r.bins[4]).toMatchObject({ missing: true, expected: 0.1 })
  })

  it('matches Σ (A − E)·ln(A / E) and bands at 0.1 / 0.25', () => {
    const values = [...Array(50).fill(0), ...Array(50).fill(40)]
    const expected = (0.5 - 0.2) * Math.log(0.5 / 0.2) + (1e-4 - 0.3) * Math.log(1e-4 / 0.3) * 2 + (0.5 - 0.1) * Math.log(0.5 / 0.1) + (1e-4 - 0.1) * Math.log(1e-4 / 0.1)
    expect(psi(baseline, values)!.value).toBeCloseTo(expected, 5)
    expect([driftBand(0.05), driftBand(0.1), driftBand(0.25), driftBand(0.26)]).toEqual(['stable', 'moderate', 'moderate', 'major'])
    expect(psi(baseline, [])).toBeNull()
  })

  it('reports missing rates per catalogue source', () => {
    const rows = [{ taxArrears: null, lateFilings24m: null, entAgeMonths: 3 }, { taxArrears: 1, lateFilings24m: null, entAgeMonths: null }]
    const out = missingBySource(['taxArrears', 'lateFilings24m', 'entAgeMonths'], rows)
    expect(out).toEqual([
      { source: '税务', features: 2, valuesMissing: 0.75, rowsAllMissing: 0.5, baselineValuesMissing: null },
      { source: '工商', features: 1, valuesMissing: 0.5, rowsAllMissing: 0.5, baselineValuesMissing: null },
    ])
  })
})

describe('routing hash', () => {
  it('is FNV-1a 32-bit and splits by bucket < traffic·10,000', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
    const u = '91350100M000100Y43'
    expect(routingBucket(u)).toBe(fnv1a32(u) % 10_000)
    expect(isChallenger(u, 0)).toBe(false)
    expect(isChallenger(u, 1)).toBe(true)
    expect(isChallenger(u, (routingBucket(u) + 1) / 10_000)).toBe(true)
    expect(isChallenger(u, routingBucket(u) / 10_000)).toBe(false)
  })
})
