/**
 * Monotone constraints. ml-xgboost's `hist` updater accepted monotone_constraints but produced violations in our
 * test (test/training/xgb-export.test.ts), while `exact` honoured them; so constrained models train with `exact`
 * and every model is checked by sweeping each constrained feature across all of its split thresholds.
 */
import type { ParsedXgboostModel } from './xgb-binary.js'
import { scoreMargins, type Matrix } from './tree-score.js'
import { nextFloat32Down } from './parity.js'

export interface MonotoneViolation { feature: number; row: number; at: number; delta: number }

/** Points that visit every branch of every split on `feature`: each threshold and the float32 just below it. */
export function sweepPoints(model: ParsedXgboostModel, feature: number): number[] {
  const t = new Set<number>()
  for (const tree of model.trees) for (const n of tree.nodes) if (!n.isLeaf && n.featureIndex === feature) t.add(n.threshold)
  const pts = [...t].flatMap((v) => [nextFloat32Down(v), v])
  return pts.sort((a, b) => a - b)
}

export function findMonotoneViolations(model: ParsedXgboostModel, m: Matrix, rows: readonly number[], directions: readonly number[], tolerance = 1e-6): MonotoneViolation[] {
  const out: MonotoneViolation[] = []
  directions.forEach((dir, feature) => {
    if (dir === 0) return
    const pts = sweepPoints(model, feature)
    if (pts.length === 0) return
    for (const r of rows) {
      const x = new Float64Array(pts.length * m.cols)
      pts.forEach((v, i) => { x.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols); x[i * m.cols + feature] = v })
      const margins = scoreMargins(model, { data: x, rows: pts.length, cols: m.cols })
      for (let i = 1; i < pts.length; i++) {
        const delta = dir * (margins[i]! - margins[i - 1]!)
        if (delta < -tolerance) { out.push({ feature, row: r, at: pts[i]!, delta }); break }
      }
    }
  })
  return out
}
