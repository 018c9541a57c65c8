/** Scores parsed XGBoost trees in TypeScript with XGBoost's float32 routing: early stopping and parity checks. */
import type { ParsedTree, ParsedXgboostModel } from './xgb-binary.js'
import { toTreeValue } from './missing.js'

/** Row-major numeric matrix with NaN for missing values. */
export interface Matrix { data: Float64Array; rows: number; cols: number }

export function treeLeafValue(tree: ParsedTree, row: Float32Array | Float64Array, offset: number): number {
  const nodes = tree.nodes
  let i = 0
  for (;;) {
    const n = nodes[i]!
    if (n.isLeaf) return n.leafValue
    const v = row[offset + n.featureIndex]!
    i = Number.isNaN(v) ? (n.defaultLeft ? n.left : n.right) : v < n.threshold ? n.left : n.right
  }
}

/** Converts to the float32 values the trees compare (same rewrite as the ONNX graph). */
export function toTreeInput(m: Matrix): Float32Array {
  const out = new Float32Array(m.data.length)
  for (let i = 0; i < out.length; i++) out[i] = toTreeValue(m.data[i]!)
  return out
}

/** Margins after each tree: calls `onTree(t, margins)` with margins of the first t+1 trees (float32 sums). */
export function scoreByTree(
  model: ParsedXgboostModel, m: Matrix, onTree: (t: number, margins: Float32Array) => void, maxTrees = model.trees.length,
): Float32Array {
  const x = toTreeInput(m)
  const margins = new Float32Array(m.rows).fill(model.baseMargin)
  for (let t = 0; t < maxTrees; t++) {
    const tree = model.trees[t]!
    for (let r = 0; r < m.rows; r++) margins[r] = margins[r]! + treeLeafValue(tree, x, r * m.cols)
    onTree(t, margins)
  }
  return margins
}

export function scoreMargins(model: ParsedXgboostModel, m: Matrix): Float32Array {
  return scoreByTree(model, m, () => {})
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))
