/**
 * Per-source ensemble (DESIGN §8): one XGBoost model per data source (工商, 税务, graph, events) on its column
 * subset, and a logistic stacker fitted on out-of-fold margins (k folds of the training split), so the stacker
 * learns how much to trust each source from margins the source models did not see their labels for.
 */
import * as ort from 'onnxruntime-node'
import type { XgbConfig } from '../lib/config.js'
import { auc } from '../lib/metrics.js'
import type { Matrix } from '../lib/tree-score.js'
import { scoreMargins, sigmoid } from '../lib/tree-score.js'
import { parseXgboostModel, type ParsedXgboostModel } from '../lib/xgb-binary.js'
import { stratifiedFolds, trainBooster } from '../lib/xgb-train.js'
import { exportEnsembleOnnx, type SourceModel, type Stacker } from './ensemble-onnx.js'
import { columnSource } from './matrix.js'

export const SOURCE_OUTPUTS = [
  { source: '工商', output: 'margin_registration' },
  { source: '税务', output: 'margin_tax' },
  { source: 'graph', output: 'margin_graph' },
  { source: 'events', output: 'margin_events' },
] as const

export const ENSEMBLE_TOLERANCE = 1e-6

export interface EnsembleInput {
  m: Matrix
  y: ArrayLike<number>
  featureNames: readonly string[]
  trainRows: readonly number[]
  testRows: readonly number[]
  params: XgbConfig
  rounds: number
  seed: number
  folds?: number
  inputName?: string
  log?: (s: string) => void
}

export interface EnsembleResult {
  sources: Array<SourceModel & { source: string; testAuc: number }>
  stacker: Stacker
  onnx: Uint8Array
  testPd: Float64Array
  testAuc: number
  parity: { rows: number; maxPdDiff: number; maxMarginDiff: number }
  golden: Matrix
  goldenPd: Float32Array
}

/** Columns `cols` of rows `rows` (all rows when omitted) as a new matrix. */
export function pickColumns(m: Matrix, cols: readonly number[], rows?: readonly number[]): Matrix {
  const idx = rows ?? Array.from({ length: m.rows }, (_, i) => i)
  const data = new Float64Array(idx.length * cols.length)
  idx.forEach((r, i) => cols.forEach((c, j) => { data[i * cols.length + j] = m.data[r * m.cols + c]! }))
  return { data, rows: idx.length, cols: cols.length }
}

async function fitMargins(m: Matrix, y: ArrayLike<number>, fitRows: readonly number[], p: XgbConfig, rounds: number, seed: number): Promise<ParsedXgboostModel> {
  const t = await trainBooster(m, y, fitRows, p, rounds, seed)
  t.booster.free()
  return parseXgboostModel(t.bytes)
}

/** L2-regularised logistic regression by Newton's method (a handful of margin inputs). */
export function fitLogistic(Z: Float64Array, p: number, y: ArrayLike<number>, l2 = 1e-4): Stacker {
  const n = y.length
  const q = p + 1
  const beta = new Float64Array(q)
  for (let iter = 0; iter < 100; iter++) {
    const H = new Float64Array(q * q)
    const g = new Float64Array(q)
    for (let i = 0; i < n; i++) {
      let eta = beta[p]!
      for (let a = 0; a < p; a++) eta += beta[a]! * Z[i * p + a]!
      const mu = sigmoid(eta)
      const w = Math.max(mu * (1 - mu), 1e-12)
      const r = y[i]! - mu
      for (let a = 0; a < q; a++) {
        const za = a === p ? 1 : Z[i * p + a]!
        g[a]! += za * r
        for (let b = 0; b < q; b++) H[a * q + b]! += w * za * (b === p ? 1 : Z[i * p + b]!)
      }
    }
    for (let a = 0; a < p; a++) { H[a * q + a]! += l2 * n; g[a]! -= l2 * n * beta[a]! }
    const step = solve(H, g, q)
    let max = 0
    for (let a = 0; a < q; a++) { beta[a]! += step[a]!; max = Math.max(max, Math.abs(step[a]!)) }
    if (max < 1e-10) break
  }
  return { weights: Array.from(beta.subarray(0, p)), bias: beta[p]! }
}

/** Gaussian elimination with partial pivoting (q ≤ 5 here). */
function solve(A: Float64Array, b: Float64Array, q: number): Float64Array {
  const M = Float64Array.from(A)
  const x = Float64Array.from(b)
  for (let c = 0; c < q; c++) {
    let piv = c
    for (let r = c + 1; r < q; r++) if (Math.abs(M[r * q + c]!) > Math.abs(M[piv * q + c]!)) piv = r
    if (piv !== c) {
      for (let k = 0; k < q; k++) { const t = M[c * q + k]!; M[c * q + k] = M[piv * q + k]!; M[piv * q + k] = t }
      const t = x[c]!; x[c] = x[piv]!; x[piv] = t
    }
    const d = M[c * q + c]! || 1e-12
    for (let r = c + 1; r < q; r++) {
      const f = M[r * q + c]! / d
      for (let k = c; k < q; k++) M[r * q + k]! -= f * M[c * q + k]!
      x[r]! -= f * x[c]!
    }
  }
  for (let c = q - 1; c >= 0; c--) {
    let s = x[c]!
    for (let k = c + 1; k < q; k++) s -= M[c * q + k]! * x[k]!
    x[c] = s / (M[c * q + c]! || 1e-12)
  }
  return x
}

/** PD of the stacked model in TypeScript, with the float32 weights the ONNX graph holds. */
export function stackedScores(sources: readonly SourceModel[], stacker: Stacker, m: Matrix): { margin: Float64Array; pd: Float64Array; sourceMargins: Float32Array[] } {
  const sourceMargins = sources.map((s) => scoreMargins(s.model, pickColumns(m, s.columns)))
  const margin = new Float64Array(m.rows)
  const pd = new Float64Array(m.rows)
  for (let r = 0; r < m.rows; r++) {
    let z = Math.fround(stacker.bias)
    sourceMargins.forEach((sm, k) => { z += Math.fround(stacker.weights[k]!) * sm[r]! })
    margin[r] = z
    pd[r] = sigmoid(z)
  }
  return { margin, pd, sourceMargins }
}

/** Sample rows, rows with each source's columns missing, an all-missing row, and rows on first split thresholds. */
function ensembleGoldenRows(m: Matrix, sources: readonly SourceModel[], sample: readonly number[]): Matrix {
  const rows: number[][] = sample.slice(0, 24).map((r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)))
  const base = rows[0] ?? new Array<number>(m.cols).fill(0)
  for (const s of sources) {
    const blank = [...base]
    for (const c of s.columns) blank[c] = Number.NaN
    rows.push(blank)
    for (const tree of s.model.trees.slice(0, 6)) {
      const root = tree.nodes[0]!
      if (root.isLeaf) continue
      const on = [...base]
      on[s.columns[root.featureIndex]!] = root.threshold
      rows.push(on)
    }
  }
  rows.push(new Array<number>(m.cols).fill(Number.NaN))
  const data = new Float64Array(rows.length * m.cols)
  rows.forEach((r, i) => data.set(r, i * m.cols))
  return { data, rows: rows.length, cols: m.cols }
}

export async function trainEnsemble(o: EnsembleInput): Promise<EnsembleResult> {
  const log = o.log ?? (() => {})
  const k = o.folds ?? 5
  const inputName = o.inputName ?? 'features'
  const groups = SOURCE_OUTPUTS.map((g) => ({ ...g, columns: o.featureNames.flatMap((f, j) => (columnSource(f) === g.source ? [j] : [])) }))
    .filter((g) => g.columns.length > 0)
  const folds = stratifiedFolds(o.y, o.trainRows, k, o.seed + 7)
  const trainPos = new Map(o.trainRows.map((r, i) => [r, i]))
  const oof = new Float64Array(o.trainRows.length * groups.length)
  const sources: EnsembleResult['sources'] = []
  const yTest = o.testRows.map((r) => o.y[r]!)
  for (const [gi, g] of groups.entries()) {
    const sub = pickColumns(o.m, g.columns)
    for (const [fi, held] of folds.entries()) {
      const heldSet = new Set(held)
      const fitRows = o.trainRows.filter((r) => !heldSet.has(r))
      const model = await fitMargins(sub, o.y, fitRows, o.params, o.rounds, o.seed + fi)
      const margins = scoreMargins(model, pickColumns(sub, Array.from(g.columns.keys()), held))
      held.forEach((r, i) => { oof[trainPos.get(r)! * groups.length + gi] = margins[i]! })
    }
    const model = await fitMargins(sub, o.y, o.trainRows, o.params, o.rounds, o.seed)
    const testAuc = auc(scoreMargins(model, pickColumns(sub, Array.from(g.columns.keys()), o.testRows)), yTest)
    log(`ensemble: ${g.output} (${g.columns.length} columns) test AUC ${testAuc.toFixed(4)}`)
    sources.push({ source: g.source, output: g.output, columns: g.columns, model, testAuc })
  }
  const stacker = fitLogistic(oof, groups.length, o.trainRows.map((r) => o.y[r]!))
  log(`ensemble: stacker weights ${sources.map((s, i) => `${s.output} ${stacker.weights[i]!.toFixed(3)}`).join(', ')}, bias ${stacker.bias.toFixed(3)}`)
  const test = stackedScores(sources, stacker, pickColumns(o.m, Array.from({ length: o.m.cols }, (_, j) => j), o.testRows))
  const testAuc = auc(test.pd, yTest)
  const onnx = exportEnsembleOnnx({
    sources, stacker, featureCount: o.m.cols, inputName,
    metadata: {
      'credit_engine.features': JSON.stringify(o.featureNames),
      'credit_engine.outputs': JSON.stringify({ margin: 'margin', pd: 'pd', sources: Object.fromEntries(sources.map((s) => [s.source, s.output])) }),
      'credit_engine.stacker': JSON.stringify(stacker),
    },
  })
  const golden = ensembleGoldenRows(o.m, sources, o.testRows)
  const parity = await checkEnsembleParity(onnx, inputName, sources, stacker, golden)
  log(`ensemble: test AUC ${testAuc.toFixed(4)}; ONNX parity on ${parity.rows} golden rows max |Δpd| ${parity.maxPdDiff.toExponential(2)}`)
  if (!(parity.maxPdDiff <= ENSEMBLE_TOLERANCE)) throw new Error(`the composed ONNX graph does not reproduce the stacker: max |Δpd| ${parity.maxPdDiff}`)
  return { sources, stacker, onnx, testPd: test.pd, testAuc, parity, golden, goldenPd: parity.onnxPd }
}

/** Scores golden rows with onnxruntime and compares PD, margin and every source margin with TypeScript. */
export async function checkEnsembleParity(onnx: Uint8Array, inputName: string, sources: readonly SourceModel[], stacker: Stacker, golden: Matrix) {
  const session = await ort.InferenceSession.create(onnx)
  const out = await session.run({ [inputName]: new ort.Tensor('float32', Float32Array.from(golden.data), [golden.rows, golden.cols]) })
  const ref = stackedScores(sources, stacker, golden)
  const onnxPd = out.pd!.data as Float32Array
  const onnxMargin = out.margin!.data as Float32Array
  let maxPdDiff = 0
  let maxMarginDiff = 0
  for (let r = 0; r < golden.rows; r++) {
    const d = Math.abs(onnxPd[r]! - ref.pd[r]!)
    maxPdDiff = Number.isFinite(d) ? Math.max(maxPdDiff, d) : Number.POSITIVE_INFINITY
    maxMarginDiff = Math.max(maxMarginDiff, Math.abs(onnxMargin[r]! - ref.margin[r]!))
    sources.forEach((s, k) => { maxMarginDiff = Math.max(maxMarginDiff, Math.abs((out[s.output]!.data as Float32Array)[r]! - ref.sourceMargins[k]![r]!)) })
  }
  await session.release()
  return { rows: golden.rows, maxPdDiff, maxMarginDiff, onnxPd, onnxMargin }
}
