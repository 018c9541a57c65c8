/** Training with ml-xgboost: parameters from the config, NaN → -1 sentinel, and legacy model bytes out. */
import type { XgbConfig } from './config.js'
import { toXgbValue } from './missing.js'
import type { Matrix } from './tree-score.js'
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
