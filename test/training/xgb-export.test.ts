import { beforeAll, afterAll, describe, expect, it } from 'vitest'
import type { WasmBooster } from '../../training/lib/xgb-wasm.js'
import { parseXgboostModel, truncateXgboostModel, type ParsedXgboostModel } from '../../training/lib/xgb-binary.js'
import { exportOnnx } from '../../training/lib/onnx-export.js'
import { checkParity, createSession, goldenRows, nextFloat32Down, scoreOnnx } from '../../training/lib/parity.js'
import { loadBooster, toXgbMatrix, trainBooster } from '../../training/lib/xgb-train.js'
import { DEFAULT_CONFIG } from '../../training/lib/config.js'
import { scoreMargins } from '../../training/lib/tree-score.js'
import { MINUS_ONE_NUDGED, toXgbValue } from '../../training/lib/missing.js'
import { findMonotoneViolations } from '../../training/lib/monotone.js'
import { generateCreditData } from './synthetic.js'

const data = generateCreditData(1500, 6, 7)
const m = { data: data.X, rows: data.rows, cols: data.cols }
const all = Array.from({ length: data.rows }, (_, i) => i)
const params = { ...DEFAULT_CONFIG.xgboost, maxDepth: 3, eta: 0.3, subsample: 1, colsampleBytree: 1 }
let booster: WasmBooster
let bytes: Uint8Array
let model: ParsedXgboostModel

beforeAll(async () => {
  const t = await trainBooster(m, data.y, all, params, 12, 1)
  booster = t.booster
  bytes = t.bytes
  model = parseXgboostModel(bytes)
})
afterAll(() => booster.free())

describe('parseXgboostModel', () => {
  it('reads the header, every tree and covers', () => {
    expect(model.objective).toBe('binary:logistic')
    expect(model.numFeature).toBe(6)
    expect(model.trees).toHaveLength(12)
    // base_score 0.5 is stored already as a margin: 0
    expect(model.baseMargin === 0).toBe(true) // stored as -0.0
    for (const tree of model.trees) {
      const root = tree.nodes[0]!
      expect(root.cover).toBeGreaterThan(0)
      for (const [i, n] of tree.nodes.entries()) {
        if (n.isLeaf) continue
        // pre-order numbering: children come after the parent, left subtree before right
        expect(n.left).toBe(i + 1)
        expect(n.right).toBeGreaterThan(n.left)
        expect(Math.fround(n.threshold)).toBe(n.threshold)
        expect(tree.nodes[n.left]!.cover + tree.nodes[n.right]!.cover).toBeCloseTo(n.cover, 2)
      }
    }
  })

  it('matches XGBoost predictions when scored in TypeScript', () => {
    const margins = scoreMargins(model, m)
    const pd = booster.predict(toXgbMatrix(m, all.slice(0, 200)), 6)
    expect(pd).toHaveLength(200)
    pd.forEach((p, i) => expect(Math.abs(p - 1 / (1 + Math.exp(-margins[i]!)))).toBeLessThan(1e-6))
  })

  it('skips deleted nodes left by pruning (gamma)', async () => {
    const pruned = await trainBooster(m, data.y, all, { ...params, maxDepth: 6, gamma: 3, treeMethod: 'exact' }, 5, 1)
    const raw = parseXgboostModel(pruned.bytes)
    const onnx = exportOnnx(raw, { featureNames: data.featureNames })
    const s = await createSession(onnx)
    const golden = goldenRows(raw, m, all.slice(0, 40))
    const parity = await checkParity(s, 'features', pruned.booster, raw, golden)
    pruned.booster.free()
    expect(parity.maxPdDiff).toBeLessThan(1e-6)
  })

  it('rejects truncated and foreign files with a message', () => {
    expect(() => parseXgboostModel(bytes.subarray(0, 400))).toThrow(/truncated/)
    const wrong = bytes.slice()
    new DataView(wrong.buffer).setUint32(20, 1, true)
    expect(() => parseXgboostModel(wrong)).toThrow(/pre-1.0/)
  })

  it('truncates to the first k trees, and XGBoost loads the result', async () => {
    const cut = truncateXgboostModel(bytes, 4)
    const parsed = parseXgboostModel(cut)
    expect(parsed.trees).toHaveLength(4)
    const b4 = await loadBooster(cut)
    const pd = b4.predict(toXgbMatrix(m, all.slice(0, 50)), 6)
    b4.free()
    const margins = scoreMargins(parsed, { data: data.X.subarray(0, 300), rows: 50, cols: 6 })
    pd.forEach((p, i) => expect(Math.abs(p - 1 / (1 + Math.exp(-margins[i]!)))).toBeLessThan(1e-6))
  })
})

describe('exportOnnx', () => {
  it('reproduces XGBoost within 1e-6 on threshold, missing and -1 rows', async () => {
    const onnx = exportOnnx(model, { featureNames: data.featureNames, metadata: { 'credit_engine.features': JSON.stringify(data.featureNames) } })
    const s = await createSession(onnx)
    expect(s.inputNames).toEqual(['features'])
    expect(s.outputNames).toEqual(['margin', 'pd'])
    const golden = goldenRows(model, m, all.slice(0, 20))
    const thresholdRows = golden.rows - 20 - 2
    expect(thresholdRows).toBeGreaterThan(10)
    const parity = await checkParity(s, 'features', booster, model, golden)
    expect(parity.maxPdDiff).toBeLessThan(1e-6)
    expect(parity.maxMarginDiff).toBeLessThan(1e-5)
    expect(Buffer.from(onnx).includes(Buffer.from('credit_engine.features'))).toBe(true)
  })

  it('routes a value exactly on a threshold right and one float32 below it left, like XGBoost', async () => {
    const tree = model.trees[0]!
    const root = tree.nodes[0]!
    const single = { ...model, trees: [tree] }
    const s = await createSession(exportOnnx(single, { featureNames: data.featureNames }))
    const row = (v: number) => { const r = new Float64Array(6); r[root.featureIndex] = v; return r }
    const x = new Float64Array([...row(root.threshold), ...row(nextFloat32Down(root.threshold))])
    const out = await scoreOnnx(s, 'features', { data: x, rows: 2, cols: 6 })
    const expectRight = scoreMargins(single, { data: x.subarray(0, 6), rows: 1, cols: 6 })[0]!
    expect(out.margin[0]).toBeCloseTo(expectRight, 6)
    expect(out.margin[0]).not.toBeCloseTo(out.margin[1]!, 6)
  })

  it('treats NaN as missing and a genuine -1 as a value', async () => {
    const s = await createSession(exportOnnx(model, { featureNames: data.featureNames }))
    const x = new Float64Array([Number.NaN, 0, 0, Number.NaN, -1, 0])
    const out = await scoreOnnx(s, 'features', { data: x, rows: 1, cols: 6 })
    const xgb = booster.predict(Float32Array.from(x, toXgbValue), 6)[0]!
    expect(Math.abs(out.pd[0]! - xgb)).toBeLessThan(1e-6)
    expect(toXgbValue(-1)).toBe(MINUS_ONE_NUDGED)
    expect(MINUS_ONE_NUDGED).toBeLessThan(-1)
  })

  it('refuses a feature list that does not match the model width', () => {
    expect(() => exportOnnx(model, { featureNames: ['a'] })).toThrow(/6 features/)
  })
})

describe('monotone constraints', () => {
  it('hist accepts monotone_constraints but violates them; the threshold sweep catches it', async () => {
    // xgbParams forces exact whenever constraints are set, so hist is requested through the override
    const t = await trainBooster(m, data.y, all, params, 20, 1, [1, -1, 0, 0, 0, 0], { tree_method: 'hist' })
    const parsed = parseXgboostModel(t.bytes)
    t.booster.free()
    expect(findMonotoneViolations(parsed, m, all.slice(0, 50), [1, -1, 0, 0, 0, 0]).length).toBeGreaterThan(0)
  })

  it('hold on a sweep of the exported model', async () => {
    const t = await trainBooster(m, data.y, all, params, 20, 1, [1, -1, 0, 0, 0, 0])
    const parsed = parseXgboostModel(t.bytes)
    t.booster.free()
    expect(findMonotoneViolations(parsed, m, all.slice(0, 50), [1, -1, 0, 0, 0, 0])).toEqual([])
    const s = await createSession(exportOnnx(parsed, { featureNames: data.featureNames }))
    const sweep = Array.from({ length: 81 }, (_, i) => -2 + i * 0.05)
    for (const [feature, sign] of [[0, 1], [1, -1]] as const) {
      for (const base of all.slice(0, 5)) {
        const x = new Float64Array(sweep.length * 6)
        sweep.forEach((v, i) => { x.set(data.X.subarray(base * 6, base * 6 + 6), i * 6); x[i * 6 + feature] = v })
        const out = await scoreOnnx(s, 'features', { data: x, rows: sweep.length, cols: 6 })
        for (let i = 1; i < sweep.length; i++) expect(sign * (out.pd[i]! - out.pd[i - 1]!)).toBeGreaterThanOrEqual(-1e-7)
      }
    }
  })
})
