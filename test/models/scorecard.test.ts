import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FEATURES } from '../../src/features/catalog.js'
import { DEFAULT_GRADES, adverseReasonsFor, familyOf, REASON_FAMILIES } from './scorecard-helpers.js'
import { adverseReasons, gradeOf, scoreFromMargin, scorecardExplanation, toPoints } from '../../src/models/scorecard.js'

const SCALING = { factor: 50 / Math.LN2, offset: 600 + (50 / Math.LN2) * Math.log(1 / 19) }
const cents = (v: number) => Math.round(v * 100)

describe('scorecard points', () => {
  it('scales margin to score: base odds score the base points, PDO halves the odds', () => {
    expect(scoreFromMargin(SCALING, Math.log(1 / 19))).toBeCloseTo(600, 9)
    expect(scoreFromMargin(SCALING, Math.log(1 / 19) - Math.LN2)).toBeCloseTo(650, 9)
  })

  it('base points + Σ points = score exactly in cents after rounding, residue folded into base points', () => {
    fc.assert(fc.property(
      fc.double({ min: -5, max: 5, noNaN: true }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 80 }),
      fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
      (bias, phi, float32Gap) => {
        const margin = bias + phi.reduce((a, b) => a + b, 0) + float32Gap
        const r = toPoints(SCALING, margin, { bias, phi })
        expect(cents(r.score)).toBe(cents(scoreFromMargin(SCALING, margin)))
        expect(cents(r.basePoints) + r.points.reduce((a, p) => a + cents(p), 0)).toBe(cents(r.score))
        expect(Math.abs(r.basePoints + r.points.reduce((a, b) => a + b, 0) - r.score)).toBeLessThan(1e-9)
        r.points.forEach((p, j) => expect(Math.abs(p - -SCALING.factor * phi[j]!)).toBeLessThanOrEqual(0.005 + 1e-9))
        // each rounding moves at most half a cent, so the residue is bounded by the feature count
        expect(Math.abs(r.residue)).toBeLessThanOrEqual(0.005 * (phi.length + 1) + SCALING.factor * 1e-6 + 1e-9)
      },
    ), { numRuns: 300 })
  })

  it('points have the opposite sign of φ: a PD-raising feature costs points', () => {
    const r = toPoints(SCALING, 0.5, { bias: 0, phi: [0.5] })
    expect(r.points[0]).toBeCloseTo(-36.07, 2)
    // offset 387.6036 rounds to 387.60, but the half-cents of score and points land in the base: 387.61
    expect(r.basePoints).toBe(387.61)
    expect(r.residue).toBeCloseTo(387.61 - SCALING.offset, 12)
  })
})

describe('grades', () => {
  it('maps PD to the first grade whose upper bound holds it, bounds inclusive', () => {
    expect(gradeOf(DEFAULT_GRADES, 0.001)).toBe('AAA')
    expect(gradeOf(DEFAULT_GRADES, 0.003)).toBe('AAA')
    expect(gradeOf(DEFAULT_GRADES, 0.0030001)).toBe('AA')
    expect(gradeOf(DEFAULT_GRADES, 0.07)).toBe('B')
    expect(gradeOf(DEFAULT_GRADES, 0.99)).toBe('C')
    expect(gradeOf([{ grade: 'X', maxPd: 0.5 }], 0.9)).toBe('X')
  })
})

describe('reason families', () => {
  it('puts every catalogue feature except the model outputs into a named family', () => {
    for (const f of FEATURES) {
      const { family, known } = familyOf(f.name)
      expect(known).toBe(true)
      if (!['pd', 'score', 'responseScore'].includes(f.name)) expect(family.code, f.name).not.toBe('OTHER')
    }
    expect(familyOf('taxCreditGrade=D').family.code).toBe('TAX_COMPLIANCE')
    expect(familyOf('gnnEmbedding7').family.code).toBe('RELATED_PARTY_RISK')
    expect(familyOf('checking_status=<0')).toEqual({ family: REASON_FAMILIES.find((f) => f.code === 'OTHER'), known: false })
  })

  it('returns the top four adverse families ranked by the points they cost, with zh/en text', () => {
    const features = ['zeroFilingMonths12m', 'lateFilings24m', 'taxArrears', 'entAgeMonths', 'lawsuits12m', 'dishonestDebtor',
      'defaultedNeighbours1Hop', 'gangFlag', 'requestedAmount', 'registeredCapitalLog', 'taxCreditGrade=D']
    const phi = [0.05, 0.04, 0.1, 0.3, -0.2, 0.02, 0.15, 0.01, 0.12, -0.5, 0.03]
    const reasons = adverseReasons(features, phi, SCALING.factor, [6, 2, 1, 10, 0, 1, 2, 0, 1e6, 14, 1])
    expect(reasons.map((r) => r.code)).toEqual(['ENTERPRISE_MATURITY', 'TAX_COMPLIANCE', 'RELATED_PARTY_RISK', 'APPLICATION'])
    const tax = reasons[1]!
    expect(tax.features.map((f) => f.feature)).toEqual(['taxArrears', 'zeroFilingMonths12m', 'lateFilings24m', 'taxCreditGrade=D'])
    expect(tax.points).toBeCloseTo(-SCALING.factor * 0.22, 2)
    expect(tax.zh).toContain('纳税')
    expect(tax.en).toMatch(/Tax compliance/)
    expect(tax.features[3]!.zh).toBe('纳税信用等级=D')
    expect(reasons.map((r) => r.rank)).toEqual([1, 2, 3, 4])
    // favourable features never appear
    expect(reasons.flatMap((r) => r.features.map((f) => f.feature))).not.toContain('registeredCapitalLog')
    // Without the features: the same families, ranks and points, and empty feature lists.
    const families = adverseReasons(features, phi, SCALING.factor, undefined, 4, false)
    expect(families).toEqual(reasons.map((r) => ({ ...r, features: [] })))
  })

  it('reports features outside the catalogue as OTHER reasons under their own name', () => {
    const reasons = adverseReasonsFor(['duration', 'credit_amount', 'age'], [0.4, 0.1, -0.3])
    expect(reasons.map((r) => [r.code, r.en])).toEqual([['OTHER', 'Other factor: duration'], ['OTHER', 'Other factor: credit_amount']])
  })

  it('gives a full scorecard explanation whose parts add up', () => {
    const r = scorecardExplanation({ features: ['taxArrears', 'entAgeMonths'], scorecard: SCALING, grades: DEFAULT_GRADES },
      { margin: -2.5, pd: 1 / (1 + Math.exp(2.5)) }, { bias: -2.9, phi: [0.6, -0.2] })
    expect(r.grade).toBe('B')
    expect(cents(r.basePoints) + cents(r.points[0]!) + cents(r.points[1]!)).toBe(cents(r.score))
    expect(r.reasons).toHaveLength(1)
    expect(r.reasons[0]!.code).toBe('TAX_COMPLIANCE')
  })
})
