/** Small generated credit-like data so the training pipeline is always covered, datasets or not. */
import { seededRandom } from '../../training/lib/split.js'

export interface Synthetic { X: Float64Array; y: Uint8Array; rows: number; cols: number; featureNames: string[] }

/**
 * Feature 0 raises risk, feature 1 lowers it, feature 2 is a coarse grid (many rows sit on split thresholds),
 * feature 3 has 15 % missing values, feature 4 contains genuine -1 values, the rest are noise.
 */
export function generateCreditData(rows: number, cols = 6, seed = 1): Synthetic {
  const rnd = seededRandom(seed)
  const X = new Float64Array(rows * cols)
  const y = new Uint8Array(rows)
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, () => rnd() * 4 - 2)
    row[2] = Math.round(row[2]! * 2) / 2
    if (cols > 3 && rnd() < 0.15) row[3] = Number.NaN
    if (cols > 4) row[4] = Math.round(row[4]!)
    const z = 1.2 * row[0]! - 0.9 * row[1]! + 0.6 * row[2]! + (Number.isNaN(row[3] ?? 0) ? 0.8 : 0.3 * (row[3] ?? 0)) + (row[4] === -1 ? 0.7 : 0) - 1.2
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0
    X.set(row, r * cols)
  }
  return { X, y, rows, cols, featureNames: Array.from({ length: cols }, (_, i) => `x${i}`) }
}

/** The same data as CSV text (header, NA for missing). */
export function toCsv(d: Synthetic, target = 'bad', names = d.featureNames): string {
  const lines = [[...names, target].join(',')]
  for (let r = 0; r < d.rows; r++) {
    const vals = Array.from(d.X.subarray(r * d.cols, (r + 1) * d.cols), (v) => (Number.isNaN(v) ? 'NA' : String(v)))
    lines.push([...vals, String(d.y[r])].join(','))
  }
  return `${lines.join('\n')}\n`
}
