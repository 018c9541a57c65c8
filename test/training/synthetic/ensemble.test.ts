import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG } from '../../../training/lib/config.js'
import { stratifiedSplit } from '../../../training/lib/split.js'
import { checkEnsembleParity, ENSEMBLE_TOLERANCE, fitLogistic, stackedScores, trainEnsemble } from '../../../training/synthetic/ensemble.js'
import { generateCreditData } from '../synthetic.js'

// Generated data under catalogue names, so each column belongs to a source (工商, 税务, graph, events).
const NAMES = ['entAgeMonths', 'registeredCapitalLog', 'taxRevenue12m', 'taxCreditGrade=A', 'pageRank', 'lawsuits12m']

async function trained() {
  const d = generateCreditData(1500, NAMES.length, 3)
  const [trainRows, testRows] = stratifiedSplit(d.y, 0.3, 42)
  const m = { data: d.X, rows: d.rows, cols: d.cols }
  const params = { ...DEFAULT_CONFIG.xgboost, maxDepth: 3, eta: 0.3 }
  const e = await trainEnsemble({ m, y: d.y, featureNames: NAMES, trainRows, testRows, params, rounds: 15, seed: 42, folds: 5 })
  return { d, m, e, testRows }
}

describe('per-source ensemble', () => {
  it('composes one ONNX graph that reproduces the stacker within 1e-6, with a margin output per source', async () => {
    const { d, e, testRows } = await trained()
    expect(e.sources.map((s) => s.output)).toEqual(['margin_registration', 'margin_tax', 'margin_graph', 'margin_events'])
    expect(e.sources.map((s) => s.columns)).toEqual([[0, 1], [2, 3], [4], [5]])
    expect(e.parity.maxPdDiff).toBeLessThanOrEqual(ENSEMBLE_TOLERANCE)
    expect(e.testAuc).toBeGreaterThan(0.7)

    const session = await ort.InferenceSession.create(e.onnx)
    expect([...session.outputNames].sort()).toEqual(['margin', 'margin_events', 'margin_graph', 'margin_registration', 'margin_tax', 'pd'])
    // Every test row, not just the golden ones, with a few values knocked out.
    const rows = testRows.slice(0, 200)
    const x = new Float64Array(rows.length * d.cols)
    rows.forEach((r, i) => x.set(d.X.subarray(r * d.cols, (r + 1) * d.cols), i * d.cols))
    for (let i = 0; i < x.length; i += 7) x[i] = Number.NaN
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(x), [rows.length, d.cols]) })
    const ref = stackedScores(e.sources, e.stacker, { data: x, rows: rows.length, cols: d.cols })
    const pd = out.pd!.data as Float32Array
    for (let i = 0; i < rows.length; i++) expect(Math.abs(pd[i]! - ref.pd[i]!)).toBeLessThanOrEqual(1e-6)
    const tax = out.margin_tax!.data as Float32Array
    for (let i = 0; i < rows.length; i++) expect(tax[i]).toBeCloseTo(ref.sourceMargins[1]![i]!, 5)
    await session.release()
  }, 60_000)

  it('parity check catches a graph that does not match the stacker', async () => {
    const { e } = await trained()
    const wrong = { weights: e.stacker.weights.map((w, i) => (i === 1 ? w * 1.01 : w)), bias: e.stacker.bias }
    const r = await checkEnsembleParity(e.onnx, 'features', e.sources, wrong, e.golden)
    expect(r.maxPdDiff).toBeGreaterThan(ENSEMBLE_TOLERANCE)
  }, 60_000)

  it('fits the logistic stacker to known coefficients', () => {
    const n = 4000
    const Z = new Float64Array(n * 2)
    const y = new Uint8Array(n)
    let s = 1
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647)
    for (let i = 0; i < n; i++) {
      Z[2 * i] = rnd() * 4 - 2
      Z[2 * i + 1] = rnd() * 4 - 2
      y[i] = rnd() < 1 / (1 + Math.exp(-(0.5 + 1.5 * Z[2 * i]! - Z[2 * i + 1]!))) ? 1 : 0
    }
    const st = fitLogistic(Z, 2, y, 0)
    expect(st.weights[0]).toBeCloseTo(1.5, 0)
    expect(st.weights[1]).toBeCloseTo(-1, 0)
    expect(st.bias).toBeCloseTo(0.5, 0)
  })
})
