/**
 * The run-based deploy checks: golden rows, output range on golden rows and sweeps, monotone directions.
 * Sweeps vary one feature at a time over its baseline edges and the model's own split thresholds (each
 * threshold and the float32 just below it, so every branch is visited), plus NaN, holding the other
 * features at golden rows.
 */
import * as ort from 'onnxruntime-node'
import type { ServingManifest } from './manifest.js'
import { MODE, type TreeEnsemble } from './tree-ensemble.js'

export interface Failure { check: string; message: string; pointer?: string }
type Fail = (check: string, message: string, pointer?: string) => void
export interface RowScores { pd: Float64Array; margin?: Float64Array }
type Score = (x: Float32Array, n: number) => Promise<RowScores>

export const GOLDEN_TOLERANCE = 1e-5
/** PD is float32 in the graph: a monotone step smaller than this is rounding, not a violation. */
export const MONOTONE_TOLERANCE = 1e-6
const MAX_LISTED = 10
const MAX_BASE_ROWS = 10
const MAX_THRESHOLDS = 64

/** Scores n rows, in padded chunks when the model declares a fixed batch size (older converters do). */
export async function scoreRows(session: ort.InferenceSession, m: ServingManifest, F: number, batch: number, x: Float32Array, n: number): Promise<RowScores> {
  const fetches = m.outputs.margin ? [m.outputs.pd, m.outputs.margin] : [m.outputs.pd]
  const col = m.outputs.pdColumn ?? 0
  const pd = new Float64Array(n)
  const margin = m.outputs.margin ? new Float64Array(n) : undefined
  const chunk = batch > 0 ? batch : Math.max(n, 1)
  for (let s = 0; s < n; s += chunk) {
    const k = Math.min(chunk, n - s)
    const buf = new Float32Array(chunk * F).fill(Number.NaN)
    buf.set(x.subarray(s * F, (s + k) * F))
    const out = await session.run({ [m.input.name]: new ort.Tensor('float32', buf, [chunk, F]) }, fetches)
    const p = out[m.outputs.pd]!.data as Float32Array
    const width = p.length / chunk
    for (let i = 0; i < k; i++) pd[s + i] = p[i * width + col]!
    if (margin) {
      const z = out[m.outputs.margin!]!.data as Float32Array
      for (let i = 0; i < k; i++) margin[s + i] = z[i * (z.length / chunk)]!
    }
  }
  return margin ? { pd, margin } : { pd }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export async function checkGolden(reference: unknown, required: boolean, F: number, m: ServingManifest, score: Score, fail: Fail): Promise<{ rows: number; x: Float32Array; scores?: RowScores }> {
  const none = { rows: 0, x: new Float32Array(0) }
  if (reference === undefined) {
    if (required) fail('golden', 'no reference.json: golden rows (inputs and expected outputs) are required to deploy a model', 'reference.json')
    return none
  }
  if (!isObject(reference) || !Array.isArray(reference.rows) || reference.rows.length === 0) {
    fail('reference', 'reference.json must be {rows: [{features: [...], outputs: {pd: [...], margin?: [...]}}]} with at least one row', 'reference.json#/rows')
    return none
  }
  const valid: Array<{ i: number; pd: number; margin?: number }> = []
  const xs: number[] = []
  reference.rows.forEach((r: unknown, i) => {
    const at = `reference.json#/rows/${i}`
    if (!isObject(r) || !Array.isArray(r.features) || !isObject(r.outputs) || !Array.isArray(r.outputs.pd)) { fail('reference', 'a golden row needs features[] and outputs.pd[]', at); return }
    if (r.features.length !== F) { fail('reference', `golden row has ${r.features.length} features, the manifest lists ${F}`, `${at}/features`); return }
    if (!r.features.every((v) => v === null || typeof v === 'number')) { fail('reference', 'golden row features must be numbers or null', `${at}/features`); return }
    const pdArr = r.outputs.pd as unknown[]
    const pd = pdArr.length > 1 ? pdArr[m.outputs.pdColumn ?? 0] : pdArr[0]
    if (typeof pd !== 'number') { fail('reference', 'outputs.pd must hold the expected PD', `${at}/outputs/pd`); return }
    const mg = Array.isArray(r.outputs.margin) ? r.outputs.margin[0] : undefined
    valid.push({ i, pd, ...(typeof mg === 'number' ? { margin: mg } : {}) })
    for (const v of r.features as Array<number | null>) xs.push(v === null ? Number.NaN : v)
  })
  if (valid.length === 0) return none
  const x = Float32Array.from(xs)
  const scores = await score(x, valid.length)
  let off = 0
  valid.forEach((g, k) => {
    const dPd = Math.abs(scores.pd[k]! - g.pd)
    const dMargin = g.margin !== undefined && scores.margin ? Math.abs(scores.margin[k]! - g.margin) : 0
    if (!(dPd <= GOLDEN_TOLERANCE) || !(dMargin <= GOLDEN_TOLERANCE)) {
      off++
      if (off <= MAX_LISTED) {
        const which = !(dPd <= GOLDEN_TOLERANCE) ? `pd ${scores.pd[k]} vs expected ${g.pd}` : `margin ${scores.margin![k]} vs expected ${g.margin}`
        fail('golden', `golden row ${g.i} does not reproduce: ${which} (tolerance ${GOLDEN_TOLERANCE})`, `reference.json#/rows/${g.i}/outputs/${!(dPd <= GOLDEN_TOLERANCE) ? 'pd' : 'margin'}`)
      }
    }
  })
  if (off > MAX_LISTED) fail('golden', `${off - MAX_LISTED} more golden rows do not reproduce (${off} of ${valid.length} in all)`, 'reference.json#/rows')
  // Keep only the valid rows, in order, as the base rows of the sweeps.
  return { rows: valid.length, x, scores }
}

export function checkOutputRange(label: string, s: RowScores, n: number, describe: (i: number) => string, pointer: (i: number) => string, fail: Fail): void {
  let nonFinite = -1
  let outside = -1
  let nonFiniteCount = 0
  let outsideCount = 0
  for (let i = 0; i < n; i++) {
    const p = s.pd[i]!
    if (!Number.isFinite(p) || (s.margin && !Number.isFinite(s.margin[i]!))) { nonFiniteCount++; if (nonFinite < 0) nonFinite = i }
    else if (!(p > 0 && p < 1)) { outsideCount++; if (outside < 0) outside = i }
  }
  if (nonFinite >= 0) {
    fail('finite', `${nonFiniteCount} of ${n} ${label} rows give a non-finite output, e.g. ${describe(nonFinite)}: pd ${s.pd[nonFinite]}${s.margin ? `, margin ${s.margin[nonFinite]}` : ''}`, pointer(nonFinite))
  }
  if (outside >= 0) fail('pd-range', `${outsideCount} of ${n} ${label} rows give a PD outside (0, 1), e.g. ${describe(outside)}: pd ${s.pd[outside]}`, pointer(outside))
}

export interface Sweep { feature: string; j: number; values: number[]; bases: number; n: number; x: Float32Array }

function nextFloat32Down(v: number): number {
  const b = new DataView(new ArrayBuffer(4))
  if (v === 0) return -(2 ** -149)
  b.setFloat32(0, v)
  b.setInt32(0, b.getInt32(0) + (v > 0 ? -1 : 1))
  return b.getFloat32(0)
}

export function buildSweeps(features: readonly string[], golden: Float32Array, goldenRows: number, m: Partial<ServingManifest>, e?: TreeEnsemble): Sweep[] {
  const F = features.length
  const bases = goldenRows > 0 ? Math.min(goldenRows, MAX_BASE_ROWS) : 2
  const base = goldenRows > 0 ? golden.subarray(0, bases * F) : Float32Array.from({ length: 2 * F }, (_, i) => (i < F ? Number.NaN : 0))
  const thresholds: Array<Set<number>> = features.map(() => new Set())
  if (e) for (let i = 0; i < e.mode.length; i++) if (e.mode[i] !== MODE.LEAF && e.feature[i]! < F) thresholds[e.feature[i]!]!.add(e.threshold[i]!)
  return features.map((feature, j) => {
    let ts = [...thresholds[j]!].sort((a, b) => a - b)
    if (ts.length > MAX_THRESHOLDS) ts = Array.from({ length: MAX_THRESHOLDS }, (_, k) => ts[Math.floor((k * ts.length) / MAX_THRESHOLDS)]!)
    const pts = new Set<number>(ts.flatMap((t) => [nextFloat32Down(t), t]))
    for (const edge of m.baseline?.features?.[feature]?.edges ?? []) if (Number.isFinite(edge)) pts.add(Math.fround(edge))
    if (pts.size === 0) { pts.add(0); pts.add(1) }
    const sorted = [...pts].sort((a, b) => a - b)
    // One step beyond both ends, so the extremes of each split are covered too.
    const values = [sorted[0]! - Math.max(1, Math.abs(sorted[0]!)), ...sorted, sorted[sorted.length - 1]! + Math.max(1, Math.abs(sorted[sorted.length - 1]!))]
    const per = values.length + 1
    const n = bases * per
    const x = new Float32Array(n * F)
    for (let b = 0; b < bases; b++) {
      for (let k = 0; k < per; k++) {
        const r = b * per + k
        x.set(base.subarray(b * F, (b + 1) * F), r * F)
        x[r * F + j] = k < values.length ? values[k]! : Number.NaN
      }
    }
    return { feature, j, values, bases, n, x }
  })
}

/** PD must not decrease along the sweep for +1, nor increase for −1 (NaN rows excluded). */
export function checkMonotone(s: Sweep, pd: Float64Array, dir: number, fail: Fail, pointer: string): void {
  const per = s.values.length + 1
  let count = 0
  let first = ''
  for (let b = 0; b < s.bases; b++) {
    for (let k = 1; k < s.values.length; k++) {
      const a = pd[b * per + k - 1]!
      const c = pd[b * per + k]!
      if (dir * (c - a) < -MONOTONE_TOLERANCE) {
        count++
        if (!first) first = `PD goes from ${a} to ${c} when '${s.feature}' rises from ${s.values[k - 1]} to ${s.values[k]} (base row ${b})`
      }
    }
  }
  if (count > 0) fail('monotone', `'${s.feature}' is declared ${dir > 0 ? '+1 (PD must not fall as it rises)' : '−1 (PD must not rise as it rises)'} but ${count} sweep steps violate it, e.g. ${first}`, pointer)
}
