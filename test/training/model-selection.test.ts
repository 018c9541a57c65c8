/**
 * Choosing rounds and hyper-parameters on the training split only: k-fold CV, the search grid, and the WoE
 * baseline's binning (which must keep rare category levels).
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, parseTrainingConfig } from '../../training/lib/config.js'
import { crossValidateRounds, gridCandidates, searchByCv, stratifiedFolds } from '../../training/lib/xgb-train.js'
import { fitWoeBinning, fitWoeLogistic, predictWoeLogistic } from '../../training/lib/woe-logistic.js'
import { auc } from '../../training/lib/metrics.js'
import { generateCreditData } from './synthetic.js'

describe('stratified k-fold', () => {
  it('partitions the rows, keeps the class mix and is reproducible', () => {
    const y = Array.from({ length: 503 }, (_, i) => (i % 7 === 0 ? 1 : 0))
    const rows = Array.from({ length: 503 }, (_, i) => i).filter((i) => i % 5 !== 0) // a training split
    const folds = stratifiedFolds(y, rows, 5, 3)
    expect(folds.flat().sort((a, b) => a - b)).toEqual(rows)
    const bads = folds.map((f) => f.filter((r) => y[r] === 1).length)
    expect(Math.max(...bads) - Math.min(...bads)).toBeLessThanOrEqual(1)
    const sizes = folds.map((f) => f.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(stratifiedFolds(y, rows, 5, 3)).toEqual(folds)
    expect(stratifiedFolds(y, rows, 5, 4)).not.toEqual(folds)
  })
})

describe('search grid', () => {
  it('is the cartesian product over the listed keys, other settings kept', () => {
    const p = { ...DEFAULT_CONFIG.xgboost, lambda: 3 }
    const c = gridCandidates(p, { maxDepth: [2, 4], eta: [0.05, 0.1, 0.05] })
    expect(c).toHaveLength(4)
    expect(c.map((x) => [x.maxDepth, x.eta])).toEqual([[2, 0.05], [2, 0.1], [4, 0.05], [4, 0.1]])
    expect(c.every((x) => x.lambda === 3)).toBe(true)
    expect(gridCandidates(p, {})).toEqual([p])
  })

  it('config: defaults and validation of the CV / search keys', () => {
    const c = parseTrainingConfig({ name: 'x' })
    expect(c.xgboost).toMatchObject({ cvFolds: 5, cvMaxRows: 20000, search: 'auto' })
    expect(parseTrainingConfig({ name: 'x', xgboost: { search: 'off', searchGrid: { eta: [0.1] } } }).xgboost.searchGrid).toEqual({ eta: [0.1] })
    expect(() => parseTrainingConfig({ name: 'x', xgboost: { search: 'maybe', searchGrid: { depth: [2] }, cvFolds: 1.5 } }))
      .toThrow(/\/xgboost\/search: must be one of[\s\S]*\/xgboost\/searchGrid: unknown key 'depth'[\s\S]*\/xgboost\/cvFolds: must be an integer/)
    expect(() => parseTrainingConfig({ name: 'x', xgboost: { searchGrid: { maxDepth: [] } } })).toThrow(/'maxDepth' must be a non-empty array/)
    expect(() => parseTrainingConfig({ name: 'x', xgboost: { searchGrid: { eta: [0.1, 7] } } })).toThrow(/'eta' values must be a number/)
  })
})

describe('cross-validated rounds', () => {
  const data = generateCreditData(600, 5, 21)
  const m = { data: data.X, rows: data.rows, cols: data.cols }
  const rows = Array.from({ length: data.rows }, (_, i) => i)
  const p = { ...DEFAULT_CONFIG.xgboost, maxRounds: 40, eta: 0.3 }

  it('gives one mean AUC per round and picks its maximum', async () => {
    const cv = await crossValidateRounds(m, data.y, stratifiedFolds(data.y, rows, 4, 1), p, 1)
    expect(cv.curve).toHaveLength(40)
    expect(cv.rounds).toBeGreaterThanOrEqual(1)
    expect(cv.auc).toBe(Math.max(...cv.curve))
    expect(cv.curve[cv.rounds - 1]).toBe(cv.auc)
    expect(cv.auc).toBeGreaterThan(0.7)
  })

  it('the search returns the candidate with the best CV AUC', async () => {
    const cands = gridCandidates(p, { maxDepth: [1, 3] })
    const r = await searchByCv(m, data.y, rows, cands, 3, 2)
    expect(r.tried).toHaveLength(2)
    expect(r.cv.auc).toBe(Math.max(...r.tried.map((t) => t.auc)))
    expect(cands).toContain(r.params)
  })
})

describe('WoE baseline binning', () => {
  it('keeps a rare indicator level that decile cut points lose', () => {
    // 5 % of rows have the level, and they are all bad
    const x = Float64Array.from({ length: 200 }, (_, i) => (i < 10 ? 1 : 0))
    const y = Array.from({ length: 200 }, (_, i) => (i < 10 || i % 4 === 0 ? 1 : 0))
    const b = fitWoeBinning(x, y, 'f')
    expect(b.edges).toEqual([1])
    expect(b.woe[1]!).toBeGreaterThan(b.woe[0]!)
    expect(b.iv).toBeGreaterThan(0.1)
  })

  it('uses quantile bins for continuous columns and a missing bin', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => (i % 50 === 0 ? Number.NaN : i))
    const y = Array.from({ length: 1000 }, (_, i) => (i > 700 ? 1 : 0))
    const b = fitWoeBinning(x, y, 'f')
    expect(b.edges).toHaveLength(9)
    expect(b.woe).toHaveLength(10)
    expect(b.woe[9]!).toBeGreaterThan(0)
  })

  it('the baseline logistic ranks generated data well', () => {
    const d = generateCreditData(1500, 5, 4)
    const m = { data: d.X, rows: d.rows, cols: d.cols }
    const tr = Array.from({ length: 1000 }, (_, i) => i)
    const te = Array.from({ length: 500 }, (_, i) => i + 1000)
    const model = fitWoeLogistic(m, d.y, tr, d.featureNames)
    expect(auc(predictWoeLogistic(model, m, te), te.map((r) => d.y[r]!))).toBeGreaterThan(0.75)
  })
})
