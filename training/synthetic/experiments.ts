/**
 * Side-by-side comparisons on the training split only, scored on the held-out rows of the same split: every
 * model here is XGBoost with the same hyper-parameters and a fixed number of rounds, so the only thing that
 * differs is the columns (with / without GNN embeddings) or the architecture (one model vs per-source stack).
 */
import type { XgbConfig } from '../lib/config.js'
import { auc } from '../lib/metrics.js'
import type { Matrix } from '../lib/tree-score.js'
import { scoreMargins } from '../lib/tree-score.js'
import { parseXgboostModel } from '../lib/xgb-binary.js'
import { trainBooster } from '../lib/xgb-train.js'
import { pickColumns } from './ensemble.js'

export interface CompareSettings { params: XgbConfig; rounds: number; seed: number }

/** Test AUC of one XGBoost model on the given columns. */
export async function columnsAuc(m: Matrix, y: ArrayLike<number>, cols: readonly number[], trainRows: readonly number[], testRows: readonly number[], s: CompareSettings): Promise<number> {
  const sub = pickColumns(m, cols)
  const t = await trainBooster(sub, y, trainRows, s.params, s.rounds, s.seed)
  t.booster.free()
  const model = parseXgboostModel(t.bytes)
  return auc(scoreMargins(model, pickColumns(sub, Array.from(cols.keys()), testRows)), testRows.map((r) => y[r]!))
}

export const f4 = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(4))
