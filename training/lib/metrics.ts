/** Discrimination and calibration metrics for binary credit models. Labels: 1 = bad (default), 0 = good. */

/** ROC AUC by the rank-sum (Mann-Whitney) formula with average ranks for ties. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!)
  let rankSumPos = 0
  let pos = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++
    const avgRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) { rankSumPos += avgRank; pos++ }
    i = j + 1
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return Number.NaN
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg)
}

/** Kolmogorov-Smirnov statistic: max |CDF_bad(s) - CDF_good(s)| over thresholds. */
export function ks(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!)
  let pos = 0
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++
  const neg = n - pos
  if (pos === 0 || neg === 0) return Number.NaN
  let cBad = 0
  let cGood = 0
  let best = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) cBad++; else cGood++
    best = Math.max(best, Math.abs(cBad / pos - cGood / neg))
    i = j + 1
  }
  return best
}

export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < probs.length; i++) s += (probs[i]! - labels[i]!) ** 2
  return s / probs.length
}

export const gini = (a: number): number => 2 * a - 1
