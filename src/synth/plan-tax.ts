/**
 * Tax behaviour of each firm: revenue scale and trend, zero and late filings, arrears, and the credit
 * grade. Grades are assigned by rank of a health score so the shares match the published distribution
 * (about A 10%, B 55%, M 15%, C 12%, D 8%) whatever the portfolio size.
 */
import { sigmoid, type Rng } from './random.js'
import { INDUSTRIES } from './reference-data.js'
import {
  F_ARREARS, GRADE_A, GRADE_B, GRADE_C, GRADE_D, GRADE_M, NO_GRADE, STATUS_ABNORMAL, STATUS_ACTIVE, TAX_MONTHS,
  monthOfDay, type PortfolioPlan,
} from './portfolio-plan.js'

/** Target shares among filers; M is not assigned by rank but by age and dormancy, and lands near 15%. */
export const GRADE_TARGETS = { A: 0.1, B: 0.55, M: 0.15, C: 0.12, D: 0.08 } as const

const ALL_MONTHS = (1 << TAX_MONTHS) - 1

/** The periods (bit m = period m) the firm files for: alive, and established by the end of the period. */
export function filedMask(plan: PortfolioPlan, i: number): number {
  const s = plan.status[i]
  if (s !== STATUS_ACTIVE && s !== STATUS_ABNORMAL) return 0
  const firstMonth = monthOfDay(plan.establishedDay[i]!) - plan.firstPeriod
  if (firstMonth <= 0) return ALL_MONTHS
  if (firstMonth >= TAX_MONTHS) return 0
  return ALL_MONTHS & ~((1 << firstMonth) - 1)
}

function popcount(x: number): number {
  let c = 0
  for (let v = x; v; v &= v - 1) c++
  return c
}

/** Samples revenue, growth and the zero/late masks; the grade comes later from assignGrades. */
export function planTaxBehaviour(plan: PortfolioPlan, rng: Rng, i: number, ageDays: number, inGang: boolean): void {
  const q = plan.quality[i]!
  const industry = INDUSTRIES[plan.industry[i]!]!
  const young = ageDays < 3 * 365
  plan.growth[i] = Math.max(-0.85, Math.min(2.5, rng.normal(0.04 + 0.12 * q + (young ? 0.25 : 0), 0.25)))
  plan.revenue[i] = Math.max(
    50_000,
    plan.capital[i]! * industry.turnover * rng.logNormal(-0.3 + 0.25 * q, 0.9) * (inGang ? 0.3 : 1),
  )
  const filed = filedMask(plan, i)
  if (filed === 0) {
    plan.grade[i] = NO_GRADE
    return
  }
  // the grade sentinel marks M candidates until assignGrades ranks the rest
  const newlyRegistered = filed !== ALL_MONTHS
  const dormant = !newlyRegistered && rng.chance(sigmoid(-3.0 - 0.6 * q + (inGang ? 1.5 : 0)))
  if (dormant) {
    plan.zeroMask[i] = ALL_MONTHS
  } else {
    const zeros = Math.min(popcount(filed) - 1, rng.poisson(0.25 * Math.exp(-0.9 * q) + (inGang ? 0.8 : 0)))
    let mask = 0
    if (zeros > 0 && q < -0.8 && rng.chance(0.5)) {
      // a business winding down files zeros for its latest months in a row
      for (let m = TAX_MONTHS - zeros; m < TAX_MONTHS; m++) mask |= 1 << m
    } else {
      for (let k = 0; k < zeros; k++) mask |= 1 << rng.int(TAX_MONTHS)
    }
    plan.zeroMask[i] = mask & filed
  }
  const lates = rng.poisson(0.12 * Math.exp(-0.9 * q) + (inGang ? 0.6 : 0))
  let late = 0
  for (let k = 0; k < lates; k++) late |= 1 << rng.int(TAX_MONTHS)
  plan.lateMask[i] = late & filed
  if (rng.chance(sigmoid(-4.3 - 1.1 * q + (plan.status[i] === STATUS_ABNORMAL ? 1.2 : 0)))) plan.flags[i]! |= F_ARREARS
  plan.grade[i] = (newlyRegistered && rng.chance(0.9)) || dormant ? GRADE_M : GRADE_B
}

/** Ranks the non-M filers by a noisy health score and cuts at the target shares. */
export function assignGrades(plan: PortfolioPlan, rng: Rng): void {
  const { n } = plan
  const score = new Float32Array(n)
  let ranked = 0
  for (let i = 0; i < n; i++) {
    if (plan.grade[i] !== GRADE_B) continue
    const penalties = 0.25 * popcount(plan.lateMask[i]!) + 0.15 * popcount(plan.zeroMask[i]!) +
      (plan.status[i] === STATUS_ABNORMAL ? 0.9 : 0) + ((plan.flags[i]! & F_ARREARS) ? 0.8 : 0)
    score[i] = 0.8 * plan.quality[i]! + 0.6 * rng.normal() - penalties
    ranked++
  }
  if (ranked === 0) return
  const sorted = new Float32Array(ranked)
  let k = 0
  for (let i = 0; i < n; i++) if (plan.grade[i] === GRADE_B) sorted[k++] = score[i]!
  sorted.sort()
  const rest = 1 - GRADE_TARGETS.M
  const cut = (share: number) => sorted[Math.min(ranked - 1, Math.floor(share * ranked))]!
  const dCut = cut(GRADE_TARGETS.D / rest)
  const cCut = cut((GRADE_TARGETS.D + GRADE_TARGETS.C) / rest)
  const aCut = cut(1 - GRADE_TARGETS.A / rest)
  for (let i = 0; i < n; i++) {
    if (plan.grade[i] !== GRADE_B) continue
    const s = score[i]!
    plan.grade[i] = s < dCut ? GRADE_D : s < cCut ? GRADE_C : s >= aCut ? GRADE_A : GRADE_B
  }
}
