/**
 * Export gate: golden rows scored by XGBoost itself (ml-xgboost) and by the ONNX artifact in onnxruntime-node.
 * Golden rows include rows placed exactly on split thresholds, one float32 step below them, missing values on
 * the first splits, an all-missing row and a genuine -1 value, since those are where a converter goes wrong.
 */
import * as ort from 'onnxruntime-node'
import type { WasmBooster } from './xgb-wasm.js'
import type { ParsedXgboostModel } from './xgb-binary.js'
import { scoreMargins, type Matrix } from './tree-score.js'
import { toXgbMatrix } from './xgb-train.js'
import { ONNX_OUTPUTS } from './onnx-export.js'

export const PARITY_TOLERANCE = 1e-6

export interface OnnxScores { pd: Float32Array; margin: Float32Array }

export async function createSession(onnx: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(onnx)
}

/** Scores rows of `m` (all when omitted) through the artifact, in batches to bound memory. */
export async function scoreOnnx(session: ort.InferenceSession, inputName: string, m: Matrix, rows?: readonly number[]): Promise<OnnxScores> {
  const idx = rows ?? Array.from({ length: m.rows }, (_, i) => i)
  const pd = new Float32Array(idx.length)
  const margin = new Float32Array(idx.length)
  const batch = 8192
  for (let s = 0; s < idx.length; s += batch) {
    const part = idx.slice(s, s + batch)
    const x = new Float32Array(part.length * m.cols)
    part.forEach((r, i) => x.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols))
    const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [part.length, m.cols]) })
    pd.set(out[ONNX_OUTPUTS.pd]!.data as Float32Array, s)
    margin.set(out[ONNX_OUTPUTS.margin]!.data as Float32Array, s)
  }
  return { pd, margin }
}

/** Up to `base` sample rows plus boundary, missing and sentinel rows built from the model's own splits. */
export function goldenRows(model: ParsedXgboostModel, m: Matrix, sampleRows: readonly number[], base = 24): Matrix {
  const F = m.cols
  const out: number[][] = []
  const sample = sampleRows.slice(0, base)
  const rowAt = (r: number) => Array.from(m.data.subarray(r * F, (r + 1) * F))
  for (const r of sample) out.push(rowAt(r))
  const seed = sample[0] ?? 0
  let placed = 0
  for (const tree of model.trees) {
    for (const n of tree.nodes) {
      if (n.isLeaf || placed >= 24) continue
      const onThreshold = rowAt(sample[placed % Math.max(sample.length, 1)] ?? seed)
      onThreshold[n.featureIndex] = n.threshold
      out.push(onThreshold)
      const below = [...onThreshold]
      below[n.featureIndex] = nextFloat32Down(n.threshold)
      out.push(below)
      placed++
    }
    if (placed >= 24) break
  }
  for (const tree of model.trees.slice(0, 8)) {
    const root = tree.nodes[0]!
    if (root.isLeaf) continue
    const row = rowAt(seed)
    row[root.featureIndex] = Number.NaN
    out.push(row)
  }
  out.push(new Array<number>(F).fill(Number.NaN))
  out.push(new Array<number>(F).fill(-1))
  const data = new Float64Array(out.length * F)
  out.forEach((r, i) => data.set(r, i * F))
  return { data, rows: out.length, cols: F }
}

export function nextFloat32Down(v: number): number {
  const b = new DataView(new ArrayBuffer(4))
  b.setFloat32(0, v)
  if (v === 0) return -(2 ** -149)
  const bits = b.getInt32(0)
  b.setInt32(0, v > 0 ? bits - 1 : bits + 1)
  return b.getFloat32(0)
}

export interface ParityResult { rows: number; maxPdDiff: number; maxMarginDiff: number; onnx: OnnxScores }

/** Compares PD with ml-xgboost and margin with the TypeScript tree walk (ml-xgboost exposes no margin). */
export async function checkParity(
  session: ort.InferenceSession, inputName: string, booster: WasmBooster, model: ParsedXgboostModel, golden: Matrix,
): Promise<ParityResult> {
  const onnx = await scoreOnnx(session, inputName, golden)
  const xgbPd = booster.predict(toXgbMatrix(golden), golden.cols)
  const tsMargin = scoreMargins(model, golden)
  let maxPdDiff = 0
  let maxMarginDiff = 0
  for (let i = 0; i < golden.rows; i++) {
    maxPdDiff = Math.max(maxPdDiff, Math.abs(onnx.pd[i]! - xgbPd[i]!))
    maxMarginDiff = Math.max(maxMarginDiff, Math.abs(onnx.margin[i]! - tsMargin[i]!))
    if (!Number.isFinite(onnx.pd[i]!) || !Number.isFinite(xgbPd[i]!)) maxPdDiff = Number.POSITIVE_INFINITY
  }
  return { rows: golden.rows, maxPdDiff, maxMarginDiff, onnx }
}
