/**
 * Scorecard view of a tree model (credit-practice.md §2.2-2.3): score = offset − factor·margin, and TreeSHAP
 * contributions φⱼ (margin space) become points −factor·φⱼ, so base points plus contributions equal the score.
 *
 * Rounding convention: the score and every feature's points are rounded to 0.01 (half away from zero, done in
 * integer cents), and basePoints = score − Σ points in cents. basePoints therefore absorbs every rounding
 * residue (and the tiny gap between the float32 ONNX margin and the float64 bias + Σφ), so
 * basePoints + Σ points = score holds exactly in cents; `residue` reports how far basePoints moved from the
 * unrounded offset − factor·bias.
 */
import { FEATURE_BY_NAME } from '../features/catalog.js'
import { familyOf, sourceColumn, type ReasonFamilyCode } from './reason-families.js'
import type { Grade } from './manifest.js'

export interface Scaling { factor: number; offset: number }

export const scoreFromMargin = (s: Scaling, margin: number): number => s.offset - s.factor * margin

/** The first grade whose maxPd bounds the PD (grades ascend); a PD above every bound gets the last grade. */
export function gradeOf(grades: readonly Grade[], pd: number): string {
  for (const g of grades) if (pd <= g.maxPd) return g.grade
  const last = grades[grades.length - 1]
  if (!last) throw new Error('empty grade table')
  return last.grade
}

const cents = (v: number): number => Math.sign(v) * Math.round(Math.abs(v) * 100)

export interface PointsBreakdown {
  score: number
  basePoints: number
  /** Per model feature, in manifest order. */
  points: number[]
  /** basePoints − (offset − factor·bias): the rounding residue folded into basePoints. */
  residue: number
}

/** Splits the score of `margin` into base points and per-feature points (see the rounding convention above). */
export function toPoints(s: Scaling, margin: number, shap: { bias: number; phi: ArrayLike<number> }): PointsBreakdown {
  const scoreCents = cents(scoreFromMargin(s, margin))
  const points: number[] = new Array<number>(shap.phi.length)
  let sumCents = 0
  for (let j = 0; j < shap.phi.length; j++) {
    const c = cents(-s.factor * shap.phi[j]!)
    points[j] = c / 100
    sumCents += c
  }
  const basePoints = (scoreCents - sumCents) / 100
  return { score: scoreCents / 100, basePoints, points, residue: basePoints - scoreFromMargin(s, shap.bias) }
}

export interface ReasonFeature { feature: string; zh: string; en: string; value?: number; phi: number; points: number }

export interface Reason {
  rank: number
  code: ReasonFamilyCode
  zh: string
  en: string
  /** Points the family costs the applicant (negative), rounded to 0.01. */
  points: number
  features: ReasonFeature[]
}

interface ReasonGroup { code: ReasonFamilyCode; zh: string; en: string }
interface ReasonPlan { groupOf: Int32Array; groups: ReasonGroup[] }
const plans = new WeakMap<readonly string[], ReasonPlan>()

/** Each feature's reason group, worked out once per feature list (a served model's list never changes). */
function planFor(features: readonly string[]): ReasonPlan {
  const cached = plans.get(features)
  if (cached) return cached
  const index = new Map<string, number>()
  const groups: ReasonGroup[] = []
  const groupOf = Int32Array.from(features, (name) => {
    const { family, known } = familyOf(name)
    const key = known ? family.code : `OTHER:${name}`
    let g = index.get(key)
    if (g === undefined) {
      g = groups.length
      index.set(key, g)
      groups.push(known ? { code: family.code, zh: family.zh, en: family.en } : { code: 'OTHER', zh: `其他因素：${name}`, en: `Other factor: ${name}` })
    }
    return g
  })
  const plan = { groupOf, groups }
  plans.set(features, plan)
  return plan
}

/**
 * Top adverse reasons: features with φⱼ > 0 (raising PD), grouped into families and ranked by the points the
 * family costs (ties in the order of their first adverse feature). Features outside the catalogue are each
 * their own OTHER reason, named after the feature. With `withFeatures` false each reason's features list
 * stays empty, for callers that show the families only.
 */
export function adverseReasons(
  features: readonly string[], phi: ArrayLike<number>, factor: number, values?: ArrayLike<number>, limit = 4, withFeatures = true,
): Reason[] {
  const { groupOf, groups } = planFor(features)
  const lost = new Float64Array(groups.length)
  const order: number[] = []
  const details: ReasonFeature[][] = []
  for (let j = 0; j < features.length; j++) {
    const p = phi[j]!
    if (!(p > 0)) continue
    const g = groupOf[j]!
    if (details[g] === undefined) {
      order.push(g)
      details[g] = []
    }
    lost[g] = lost[g]! + factor * p
    if (!withFeatures) continue
    const name = features[j]!
    const def = FEATURE_BY_NAME.get(sourceColumn(name))
    const level = name.includes('=') ? name.slice(name.indexOf('=')) : ''
    const v = values?.[j]
    details[g]!.push({
      feature: name, zh: def ? def.zh + level : name, en: def ? def.en + level : name, phi: p, points: cents(-factor * p) / 100,
      ...(v === undefined || Number.isNaN(v) ? {} : { value: v }),
    })
  }
  return order
    .sort((a, b) => lost[b]! - lost[a]!)
    .slice(0, limit)
    .map((g, i) => ({
      rank: i + 1, code: groups[g]!.code, zh: groups[g]!.zh, en: groups[g]!.en, points: -cents(lost[g]!) / 100,
      features: details[g]!.sort((a, b) => b.phi - a.phi),
    }))
}

export interface ScorecardResult extends PointsBreakdown { pd: number; margin: number; grade: string; reasons: Reason[] }

/** Everything a decision shows about the model: score, grade, points breakdown and the top four adverse reasons. */
export function scorecardExplanation(
  m: { features: readonly string[]; scorecard: Scaling; grades: readonly Grade[] },
  out: { margin: number; pd: number }, shap: { bias: number; phi: ArrayLike<number> }, values?: ArrayLike<number>, withFeatures = true,
): ScorecardResult {
  const breakdown = toPoints(m.scorecard, out.margin, shap)
  return {
    ...breakdown, pd: out.pd, margin: out.margin, grade: gradeOf(m.grades, out.pd),
    reasons: adverseReasons(m.features, shap.phi, m.scorecard.factor, values, 4, withFeatures),
  }
}
