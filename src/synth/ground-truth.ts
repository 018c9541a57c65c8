/**
 * The ground truth: each enterprise's true PD and sampled default, and a marketing-response label.
 *
 * PD comes from a latent log-odds built on what the engine can observe (age, capital, tax grade and
 * filings, status, industry, legal-rep age, gang, blacklist proximity), two-way interactions, unobserved
 * noise, and contagion: after a first draw, defaults raise the log-odds of guarantors, circle members,
 * controlled and controlling firms, firms sharing a controlling person, and supply partners. One uniform
 * per firm is reused across the rounds, so the cascade only adds defaults and `defaulted` is a draw from
 * the final `truePd`. Graph features therefore carry signal a tabular model cannot see.
 */
import { contagion, guaranteeCircles, type ContagionContext } from './contagion.js'
import {
  F_ARREARS, F_BLACKLISTED, F_CAPITAL_INCREASE, F_CUSTOMER, F_HIGH_TECH, F_LISTED, F_SRDI, GRADE_A, GRADE_C, GRADE_D, GRADE_M,
  NO_GRADE, STATUS_ABNORMAL, STATUS_ACTIVE, STATUS_CANCELLED, STATUS_REVOKED, TAX_MONTHS, type PortfolioPlan,
} from './portfolio-plan.js'
import { Rng, logit, sigmoid } from './random.js'
import type { RelationGraph } from './relation-graph.js'
import { INDUSTRIES } from './reference-data.js'

export const TARGET_DEFAULT_RATE = 0.05
export const TARGET_RESPONSE_RATE = 0.1
/** Share of the final default rate that the first, contagion-free draw is calibrated to. */
const FIRST_DRAW_SHARE = 0.8

export interface GroundTruth {
  truePd: Float64Array
  defaulted: Uint8Array
  responded: Uint8Array
  /** Guarantee-circle id per firm (strongly connected guarantee components of size ≥ 2), else -1. */
  circleOf: Int32Array
}

const INDUSTRY_LOG_RISK = INDUSTRIES.map((ind) => Math.log(ind.risk))
const GRADE_TERM = [-1.1, 0, 0.25, 0.9, 1.6] // A B M C D

function popcount(x: number): number {
  let c = 0
  for (let v = x; v; v &= v - 1) c++
  return c
}

/** Zero filings in a row up to the latest period. */
function trailingZeros(mask: number): number {
  let k = 0
  while (k < TAX_MONTHS && mask & (1 << (TAX_MONTHS - 1 - k))) k++
  return k
}

/** Log-odds of default from observable drivers and noise, without the intercept. */
function riskLogOdds(plan: PortfolioPlan, graph: RelationGraph, i: number, noise: number): number {
  const asOfYear = new Date(plan.asOfDay * 86_400_000).getUTCFullYear()
  const age = (plan.asOfDay - plan.establishedDay[i]!) / 365.25
  const capital = plan.capital[i]!
  const flags = plan.flags[i]!
  const grade = plan.grade[i]!
  const status = plan.status[i]!
  const growth = plan.growth[i]!
  let x = age < 1 ? 0.9 : age < 2 ? 0.6 : age < 5 ? 0.25 : age > 10 ? -0.25 : 0
  x += Math.max(-2, Math.min(2, -0.22 * (Math.log(capital) - Math.log(1e6))))
  const paidIn = plan.paidIn[i]!
  if (!Number.isNaN(paidIn) && paidIn < 0.2 * capital) x += 0.25
  x += grade === NO_GRADE ? 0.6 : GRADE_TERM[grade]!
  const zeros = plan.zeroMask[i]!
  x += 0.08 * popcount(zeros) + (trailingZeros(zeros) >= 3 ? 0.5 : 0)
  x += 0.18 * popcount(plan.lateMask[i]!)
  if (flags & F_ARREARS) x += 0.7
  x += growth < 0 ? -1.6 * growth : -0.2 * Math.min(growth, 1)
  if (status === STATUS_ABNORMAL) x += 1.2
  else if (status === STATUS_REVOKED) x += 1.6
  else if (status === STATUS_CANCELLED) x += 0.8
  const industryRisk = INDUSTRY_LOG_RISK[plan.industry[i]!]!
  x += 1.1 * industryRisk
  const repAge = asOfYear - plan.birthYear[plan.legalRep[i]!]!
  if (repAge < 25 || repAge > 62) x += 0.5
  if (plan.formerLegalRep[i]! >= 0) x += 0.4
  if (plan.gang[i]! >= 0) x += 0.4
  if (flags & F_BLACKLISTED) x += 1.4
  const near = graph.blacklistNear[i]!
  if (near > 0) x += 0.6 + 0.2 * Math.min(near - 1, 3)
  if (flags & F_HIGH_TECH) x -= 0.3
  if (flags & F_SRDI) x -= 0.3
  if (flags & F_LISTED) x -= 1.0
  const employees = plan.employees[i]!
  x += employees < 0 ? 0.1 : -0.08 * Math.log1p(employees)
  // interactions: a young firm with little capital has no buffer; a weak taxpayer whose revenue falls is in trouble
  if (age < 3 && capital < 5e5) x += 0.5
  if ((grade === GRADE_C || grade === GRADE_D) && growth < -0.1) x += 0.5
  if ((flags & F_HIGH_TECH) && age < 3) x -= 0.3
  if (industryRisk > Math.log(1.3) && status === STATUS_ABNORMAL) x += 0.3
  return x + noise
}

function responseLogOdds(plan: PortfolioPlan, i: number, noise: number): number {
  const flags = plan.flags[i]!
  const age = (plan.asOfDay - plan.establishedDay[i]!) / 365.25
  const status = plan.status[i]!
  let x = 1.4 * Math.max(-0.5, Math.min(1, plan.growth[i]!))
  if (flags & F_HIGH_TECH) x += 0.7
  if (flags & F_SRDI) x += 0.4
  if (flags & F_CAPITAL_INCREASE) x += 0.8
  if (age >= 1 && age <= 6) x += 0.3
  // prospects with a financing need answer an offer; existing customers already have one
  if (flags & F_CUSTOMER) x -= 0.5
  x += Math.max(-1, Math.min(1, 0.2 * Math.log(plan.capital[i]! / 1e6)))
  if (status !== STATUS_ACTIVE) x -= 2.5
  if (plan.grade[i] === GRADE_D) x -= 0.6
  if (plan.grade[i] === GRADE_M || plan.grade[i] === GRADE_A) x += 0.1
  return x + noise
}

/**
 * Structural guarantee risk, before any default: guarantees given beyond the guarantor's capital, and
 * membership of a circle, where everyone's credit is inflated by everyone else's promise (担保圈).
 */
function addGuaranteeExposure(x: Float64Array, graph: RelationGraph, circleOf: Int32Array): void {
  const load = new Float32Array(x.length)
  for (let e = 0; e < graph.guarantor.length; e++) load[graph.guarantor[e]!]! += graph.guaranteeLoad[e]!
  for (let i = 0; i < x.length; i++) {
    x[i]! += 0.15 * Math.min(load[i]!, 4) + (circleOf[i]! >= 0 ? 0.5 : 0)
  }
}

/** The intercept b with mean(sigmoid(b + x)) = target, by bisection. */
function calibrate(x: Float64Array, target: number): number {
  let lo = -16
  let hi = 16
  for (let it = 0; it < 36; it++) {
    const mid = (lo + hi) / 2
    let sum = 0
    for (let i = 0; i < x.length; i++) sum += sigmoid(mid + x[i]!)
    if (sum / x.length < target) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

export function computeGroundTruth(plan: PortfolioPlan, graph: RelationGraph, seed: number | string): GroundTruth {
  const { n } = plan
  const rng = new Rng(seed, 'truth')
  const x = new Float64Array(n)
  const u = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x[i] = riskLogOdds(plan, graph, i, rng.normal(0, 0.45))
    u[i] = rng.next()
  }
  const circleOf = guaranteeCircles(n, graph)
  addGuaranteeExposure(x, graph, circleOf)
  const ctx: ContagionContext = { plan, graph, circleOf }
  const truePd = new Float64Array(n)
  const defaulted = new Uint8Array(n)
  const state = new Uint8Array(n)
  let b = calibrate(x, TARGET_DEFAULT_RATE * FIRST_DRAW_SHARE)
  // the first draw is calibrated alone; two corrections of the intercept then bring the rate after contagion to the target
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 0; i < n; i++) state[i] = u[i]! < sigmoid(b + x[i]!) ? 1 : 0
    const first = contagion(ctx, state)
    for (let i = 0; i < n; i++) state[i] = u[i]! < sigmoid(b + x[i]! + first[i]!) ? 1 : 0
    const second = contagion(ctx, state)
    let count = 0
    for (let i = 0; i < n; i++) {
      truePd[i] = sigmoid(b + x[i]! + second[i]!)
      defaulted[i] = u[i]! < truePd[i]! ? 1 : 0
      count += defaulted[i]!
    }
    const rate = Math.min(0.99, Math.max(1 / (n + 1), count / n))
    if (pass < 2) b += logit(TARGET_DEFAULT_RATE) - logit(rate)
  }

  const r = new Float64Array(n)
  const responseRng = new Rng(seed, 'response')
  for (let i = 0; i < n; i++) r[i] = responseLogOdds(plan, i, responseRng.normal(0, 0.5))
  const rb = calibrate(r, TARGET_RESPONSE_RATE)
  const responded = new Uint8Array(n)
  for (let i = 0; i < n; i++) responded[i] = responseRng.next() < sigmoid(rb + r[i]!) ? 1 : 0
  return { truePd, defaulted, responded, circleOf }
}
