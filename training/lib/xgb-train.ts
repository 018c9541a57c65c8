/**
 * Training with ml-xgboost: parameters from the config, NaN → -1 sentinel, and legacy model bytes out; k-fold
 * cross-validated choice of the number of rounds and a small hyper-parameter grid search on the training split.
 */
import type { SearchGrid, XgbConfig } from './config.js'
import { auc } from './metrics.js'
import { toXgbValue } from './missing.js'
import { seededRandom } from './split.js'
import { scoreByTree, type Matrix } from './tree-score.js'
import { parseXgboostModel } from './xgb-binary.js'
import { loadWasm, trainWasm, type WasmBooster } from './xgb-wasm.js'

/** Rows of `m` (all when omitted) as the row-major float32 matrix ml-xgboost reads, -1 = missing. */
export function toXgbMatrix(m: Matrix, rows?: readonly number[]): Float32Array {
  const idx = rows ?? Array.from({ length: m.rows }, (_, i) => i)
  const out = new Float32Array(idx.length * m.cols)
  idx.forEach((r, i) => {
    for (let j = 0; j < m.cols; j++) out[i * m.cols + j] = toXgbValue(m.data[r * m.cols + j]!)
  })
  return out
}

export function xgbParams(p: XgbConfig, seed: number, monotone?: readonly number[]): Record<string, string> {
  const o: Record<string, string> = {
    booster: 'gbtree', objective: 'binary:logistic', max_depth: String(p.maxDepth), eta: String(p.eta),
    subsample: String(p.subsample), colsample_bytree: String(p.colsampleBytree), min_child_weight: String(p.minChildWeight),
    lambda: String(p.lambda), alpha: String(p.alpha), gamma: String(p.gamma), tree_method: p.treeMethod, seed: String(seed), silent: '1',
  }
  // Only the exact updater honoured monotone constraints in this build (see monotone.ts), so it is forced here.
  if (monotone?.some((d) => d !== 0)) {
    o.monotone_constraints = `(${monotone.join(',')})`
    o.tree_method = 'exact'
  }
  return o
}

export interface TrainedBooster { booster: WasmBooster; bytes: Uint8Array }

/** Trains `rounds` trees on `rows` of `m`; the caller must `free()` the booster. `override` wins over the config. */
export async function trainBooster(
  m: Matrix, y: ArrayLike<number>, rows: readonly number[], p: XgbConfig, rounds: number, seed: number,
  monotone?: readonly number[], override: Record<string, string> = {},
): Promise<TrainedBooster> {
  const labels = Float32Array.from(rows, (r) => y[r]!)
  const booster = await trainWasm(toXgbMatrix(m, rows), labels, m.cols, { ...xgbParams(p, seed, monotone), ...override }, rounds)
  return { booster, bytes: booster.bytes() }
}

/** Restores a booster from legacy bytes (e.g. a truncated model) to score golden rows with XGBoost itself. */
export function loadBooster(bytes: Uint8Array): Promise<WasmBooster> {
  return loadWasm(bytes)
}

/** Stratified k-fold assignment of `rows` (indices into y): fold of each row, same seed → same folds. */
export function stratifiedFolds(y: ArrayLike<number>, rows: readonly number[], k: number, seed: number): number[][] {
  const rnd = seededRandom(seed)
  const folds: number[][] = Array.from({ length: k }, () => [])
  let next = 0
  for (const cls of [0, 1]) {
    const idx = rows.filter((r) => y[r] === cls)
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1))
      ;[idx[i], idx[j]] = [idx[j]!, idx[i]!]
    }
    // dealing round-robin, continuing across classes, keeps fold sizes within one row of each other
    for (const r of idx) folds[next++ % k]!.push(r)
  }
  return folds.map((f) => f.sort((a, b) => a - b))
}

function rowsOf(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols)
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols))
  return { data, rows: rows.length, cols: m.cols }
}

export interface CvResult {
  /** Mean over folds of the held-out AUC after each round (index t = t + 1 trees). */
  curve: number[]
  rounds: number
  auc: number
}

/**
 * k-fold cross-validated AUC per boosting round: each fold trains `p.maxRounds` trees on the other folds and is
 * scored tree by tree (the model after t rounds is the first t trees), so one fit per fold gives the whole curve.
 * The chosen round count maximises the mean held-out AUC.
 */
export async function crossValidateRounds(
  m: Matrix, y: ArrayLike<number>, folds: readonly number[][], p: XgbConfig, seed: number, monotone?: readonly number[],
): Promise<CvResult> {
  const sums = new Float64Array(p.maxRounds)
  for (let f = 0; f < folds.length; f++) {
    const held = folds[f]!
    const fit = folds.flatMap((rows, g) => (g === f ? [] : rows))
    const t = await trainBooster(m, y, fit, p, p.maxRounds, seed, monotone)
    t.booster.free()
    const heldY = held.map((r) => y[r]!)
    scoreByTree(parseXgboostModel(t.bytes), rowsOf(m, held), (k, margins) => { sums[k]! += auc(margins, heldY) })
  }
  const curve = Array.from(sums, (s) => s / folds.length)
  let best = 0
  for (let k = 1; k < curve.length; k++) if (curve[k]! > curve[best]! + 1e-9) best = k
  return { curve, rounds: best + 1, auc: curve[best]! }
}

/** Cartesian product of the search grid applied to `p` (keys absent from the grid keep p's value). */
export function gridCandidates(p: XgbConfig, grid: SearchGrid): XgbConfig[] {
  let out: XgbConfig[] = [{ ...p }]
  for (const [k, values] of Object.entries(grid) as Array<[keyof SearchGrid, number[] | undefined]>) {
    if (!values || values.length === 0) continue
    out = out.flatMap((c) => [...new Set(values)].map((v) => ({ ...c, [k]: v })))
  }
  return out
}

export interface SearchResult { params: XgbConfig; cv: CvResult; tried: Array<{ params: Partial<XgbConfig>; auc: number; rounds: number }> }

/** Chooses hyper-parameters and rounds by cross-validated AUC on `rows` (the training split only). */
export async function searchByCv(
  m: Matrix, y: ArrayLike<number>, rows: readonly number[], candidates: readonly XgbConfig[], folds: number, seed: number,
  monotone?: readonly number[], log: (s: string) => void = () => {},
): Promise<SearchResult> {
  const split = stratifiedFolds(y, rows, folds, seed)
  let best: SearchResult | undefined
  const tried: SearchResult['tried'] = []
  for (const c of candidates) {
    const cv = await crossValidateRounds(m, y, split, c, seed, monotone)
    const varied = { maxDepth: c.maxDepth, eta: c.eta, minChildWeight: c.minChildWeight, colsampleBytree: c.colsampleBytree, subsample: c.subsample, lambda: c.lambda }
    tried.push({ params: varied, auc: cv.auc, rounds: cv.rounds })
    if (candidates.length > 1) log(`cv: ${JSON.stringify(varied)} → AUC ${cv.auc.toFixed(4)} at ${cv.rounds} rounds`)
    if (!best || cv.auc > best.cv.auc + 1e-9) best = { params: c, cv, tried }
  }
  return best!
}
