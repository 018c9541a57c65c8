import { describe, expect, it } from 'vitest'
import { auc, brier, gini, ks } from '../../training/lib/metrics.js'
import { calibrationByGrade, gradeOf, psiBaseline, scaling, scoreFromMargin } from '../../training/lib/scorecard.js'
import { DEFAULT_GRADES } from '../../training/lib/config.js'
import { fitWoeBinning } from '../../training/lib/woe-logistic.js'
import { stratifiedSplit } from '../../training/lib/split.js'

describe('metrics on known values', () => {
  it('AUC counts ordered pairs, ties as half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75)
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5)
    expect(auc([1, 2, 3], [0, 1, 1])).toBe(1)
  })
  it('KS is the largest CDF gap', () => {
    expect(ks([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.5)
    expect(ks([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1)
  })
  it('Brier and Gini', () => {
    expect(brier([0.2, 0.9], [0, 1])).toBeCloseTo((0.04 + 0.01) / 2, 15)
    expect(gini(0.8)).toBeCloseTo(0.6, 15)
  })
})

describe('scorecard scaling', () => {
  const s = scaling(600, 1 / 19, 50)
  it('scores the base odds at the base points and doubles the odds every PDO', () => {
    expect(s.offset).toBeCloseTo(387.6, 1)
    expect(s.factor).toBeCloseTo(72.13, 2)
    expect(scoreFromMargin(s, Math.log(1 / 19))).toBeCloseTo(600, 9)
    expect(scoreFromMargin(s, Math.log(2 / 19))).toBeCloseTo(550, 9)
  })
  it('grades by PD upper bound', () => {
    expect(gradeOf(DEFAULT_GRADES, 0.003)).toBe('AAA')
    expect(gradeOf(DEFAULT_GRADES, 0.0031)).toBe('AA')
    expect(gradeOf(DEFAULT_GRADES, 0.99)).toBe('C')
  })
  it('calibration table counts per grade', () => {
    const rows = calibrationByGrade([0.001, 0.002, 0.5, 0.6], [0, 0, 1, 0], DEFAULT_GRADES)
    expect(rows[0]).toMatchObject({ grade: 'AAA', count: 2, bads: 0, expectedPd: 0.0015 })
    expect(rows.at(-1)).toMatchObject({ grade: 'C', count: 2, bads: 1, observedRate: 0.5 })
  })
})

describe('PSI baseline and WoE', () => {
  it('uses deciles with a missing share', () => {
    const v = [...Array.from({ length: 90 }, (_, i) => i), ...Array<number>(10).fill(Number.NaN)]
    const b = psiBaseline(v)
    expect(b.missingShare).toBe(0.1)
    expect(b.shares.reduce((a, x) => a + x, 0) + b.missingShare).toBeCloseTo(1, 9)
    expect(b.edges).toHaveLength(9)
  })
  it('WoE is positive for the riskier bin (ln bad%/good%)', () => {
    const x = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1])
    const b = fitWoeBinning(x, [0, 0, 0, 1, 1, 1, 1, 0], 'f')
    expect(b.edges).toEqual([1])
    expect(b.woe[1]!).toBeGreaterThan(0)
    expect(b.woe[0]!).toBeLessThan(0)
    expect(b.iv).toBeGreaterThan(0)
  })
  it('stratified split keeps the class mix and is reproducible', () => {
    const y = Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0))
    const [a, b] = stratifiedSplit(y, 0.3, 9)
    expect(b).toHaveLength(300)
    expect(b.filter((i) => y[i] === 1)).toHaveLength(30)
    expect(stratifiedSplit(y, 0.3, 9)[1]).toEqual(b)
    expect(new Set([...a, ...b]).size).toBe(1000)
  })
})
