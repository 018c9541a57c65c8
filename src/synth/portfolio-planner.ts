/**
 * Phase one of the generator: every attribute of every enterprise and person, as typed arrays. Rows are
 * built from this plan later, batch by batch. A latent health `quality` drives most observables, so that
 * tax grade, zero filings, status and the ground truth are correlated the way they are in real data.
 */
import { assignUsccs } from './entity-rows.js'
import { makeIdScheme } from './identifiers.js'
import { assignGrades, planTaxBehaviour } from './plan-tax.js'
import { planHubs, startGang, type GangState } from './plan-groups.js'
import { Rng, WeightedTable, hashString, sigmoid } from './random.js'
import { INDUSTRIES, INVESTOR_INDUSTRY } from './reference-data.js'
import {
  F_BLACKLISTED, F_CAPITAL_INCREASE, F_COORDS, F_CUSTOMER, F_HIGH_TECH, F_LISTED, F_SRDI, IntList,
  STATUS_ABNORMAL, STATUS_ACTIVE, STATUS_CANCELLED, STATUS_REVOKED, TAX_MONTHS, districtTable, freshPerson,
  monthOfDay, type PortfolioPlan,
} from './portfolio-plan.js'

const DAYS_PER_YEAR = 365.25
/** Mean firm age: gives about 11% of firms under a year old, as in China's fast-growing registry. */
const MEAN_AGE_YEARS = 8.6
const MAX_AGE_YEARS = 40
/** Gangs start rarely; with sizes 3-15 (mean 9) about 1% of firms end up in one. */
const GANG_START_PROBABILITY = 0.01 / 9

const industryTable = new WeightedTable(INDUSTRIES.map((i) => i.weight))
const HIGH_TECH_INDUSTRY = Uint8Array.from(INDUSTRIES.map((i) => (i.isHighTech ? 1 : 0)))
const MANUFACTURING_INDUSTRY = Uint8Array.from(INDUSTRIES.map((i) => (i.code.startsWith('C') ? 1 : 0)))

export function seedWordOf(seed: number | string): number {
  return typeof seed === 'number' ? hashString(`n:${seed}`) : hashString(`s:${seed}`)
}

export function planPortfolio(n: number, seed: number | string, asOfDay: number): PortfolioPlan {
  if (!Number.isInteger(n) || n < 1) throw new Error(`enterprises must be a positive integer, got ${n}`)
  const rng = new Rng(seed, 'enterprises')
  const personCount = Math.ceil(n * 2.12) + 64
  const plan: PortfolioPlan = {
    n, ids: makeIdScheme(seedWordOf(seed)), asOfDay,
    firstPeriod: monthOfDay(asOfDay) - TAX_MONTHS,
    district: new Uint8Array(n), industry: new Uint8Array(n), establishedDay: new Int32Array(n),
    capital: new Float64Array(n), paidIn: new Float64Array(n), status: new Uint8Array(n),
    employees: new Int32Array(n), flags: new Uint8Array(n), quality: new Float32Array(n),
    growth: new Float32Array(n), revenue: new Float64Array(n), grade: new Uint8Array(n),
    zeroMask: new Uint16Array(n), lateMask: new Uint16Array(n), legalRep: new Int32Array(n),
    formerLegalRep: new Int32Array(n).fill(-1), gang: new Int32Array(n).fill(-1), hub: new Int32Array(n).fill(-1),
    phoneId: new Int32Array(n), addressId: new Int32Array(n),
    gangStart: new Int32Array(0), gangSize: new Int32Array(0),
    hubOffsets: new Int32Array(1), hubMembers: new Int32Array(0), hubDistrict: new Uint8Array(0),
    personCount, birthYear: new Int16Array(personCount), personBlacklisted: new Uint8Array(personCount),
    personNext: 0, investors: new Int32Array(0), usccs: [],
  }
  planPersons(plan, new Rng(seed, 'persons'))

  const gangStarts = new IntList()
  const gangSizes = new IntList()
  const investors = new IntList()
  let gang: GangState | undefined
  for (let i = 0; i < n; i++) {
    if (gang && i >= gang.end) gang = undefined
    if (!gang && rng.chance(GANG_START_PROBABILITY)) {
      gang = startGang(plan, rng, i, gangStarts.length)
      gangStarts.push(i)
      gangSizes.push(gang.end - i)
    }
    planEnterprise(plan, rng, i, gang)
    if (INDUSTRIES[plan.industry[i]!]!.code === INVESTOR_INDUSTRY) investors.push(i)
  }
  plan.gangStart = gangStarts.toArray()
  plan.gangSize = gangSizes.toArray()
  // early-registered investment firms come first, so the power-law pick favours a few big investors
  plan.investors = investors.toArray().sort((a, b) => plan.establishedDay[a]! - plan.establishedDay[b]!)
  planHubs(plan, new Rng(seed, 'hubs'))
  assignGrades(plan, new Rng(seed, 'grades'))
  assignUsccs(plan)
  return plan
}

function planPersons(plan: PortfolioPlan, rng: Rng): void {
  const asOfYear = new Date(plan.asOfDay * 86_400_000).getUTCFullYear()
  for (let p = 0; p < plan.personCount; p++) {
    const y = Math.round(rng.normal(1979, 9.5))
    plan.birthYear[p] = Math.min(asOfYear - 18, Math.max(asOfYear - 80, y))
    plan.personBlacklisted[p] = rng.chance(0.0042) ? 1 : 0
  }
}

function planEnterprise(plan: PortfolioPlan, rng: Rng, i: number, gang: GangState | undefined): void {
  const inGang = gang !== undefined
  const ageDays = inGang
    ? Math.max(20, gang.baseAgeDays + rng.range(-45, 45))
    : Math.max(1, Math.round(Math.min(rng.exponential(MEAN_AGE_YEARS), rng.uniform(30, MAX_AGE_YEARS)) * DAYS_PER_YEAR))
  const ageYears = ageDays / DAYS_PER_YEAR
  plan.establishedDay[i] = plan.asOfDay - ageDays
  plan.district[i] = inGang ? gang.district : districtTable.sample(rng)
  const ind = inGang ? rng.pick(gang.industries) : industryTable.sample(rng)
  plan.industry[i] = ind

  // older firms that survived are healthier on average; gangs are shells
  const q = rng.normal() + 0.12 * (Math.log1p(ageYears) - 1.9) - (inGang ? 0.8 : 0)
  plan.quality[i] = q

  const capital = inGang
    ? rng.pick([1e6, 1e6, 2e6, 5e6, 1e7])
    : roundTo(rng.logNormal(Math.log(8e5) + 0.08 * Math.min(ageYears, 25), 1.4), 10_000)
  plan.capital[i] = Math.min(5e10, Math.max(10_000, capital))
  const u = rng.next()
  // since 2014 capital is subscribed (认缴), so paid-in is often unreported or partial
  plan.paidIn[i] = u < 0.3 ? Number.NaN : u < 0.65 ? plan.capital[i]! : roundTo(plan.capital[i]! * rng.next(), 10_000)
  plan.employees[i] = rng.chance(0.12)
    ? -1
    : Math.max(0, Math.round(Math.exp(0.5 * Math.log(plan.capital[i]! / 1e4) - 0.3 + 0.25 * q + rng.normal(0, 0.8))))

  const pAbnormal = sigmoid(-3.4 - 0.9 * q + (inGang ? 1.8 : 0))
  const pRevoked = sigmoid(-5.7 - 0.6 * q + 0.25 * Math.min(ageYears, 12))
  const pCancelled = sigmoid(-5.1 + 0.2 * Math.min(ageYears, 12) - 0.3 * q)
  const s = rng.next()
  plan.status[i] = ageDays < 180 ? (s < pAbnormal * 0.3 ? STATUS_ABNORMAL : STATUS_ACTIVE)
    : s < pAbnormal ? STATUS_ABNORMAL
      : s < pAbnormal + pRevoked ? STATUS_REVOKED
        : s < pAbnormal + pRevoked + pCancelled ? STATUS_CANCELLED : STATUS_ACTIVE

  planTaxBehaviour(plan, rng, i, ageDays, inGang)

  let flags = plan.flags[i]! // planTaxBehaviour may have set F_ARREARS
  const alive = plan.status[i] === STATUS_ACTIVE || plan.status[i] === STATUS_ABNORMAL
  if (HIGH_TECH_INDUSTRY[ind] && ageYears >= 1 && rng.chance(sigmoid(-0.5 + 0.6 * q))) flags |= F_HIGH_TECH
  if ((HIGH_TECH_INDUSTRY[ind] || MANUFACTURING_INDUSTRY[ind]) && ageYears >= 3 && rng.chance(sigmoid(-4.2 + 0.8 * q))) flags |= F_SRDI
  if (plan.capital[i]! >= 5e7 && ageYears >= 5 && rng.chance(0.12)) flags |= F_LISTED
  if (alive && !inGang && rng.chance(sigmoid(-3.2 + 0.6 * q + 0.3 * Math.log(plan.capital[i]! / 1e6) + 0.12 * Math.min(ageYears, 10)))) flags |= F_CUSTOMER
  const pBlack = inGang ? 0.1 : sigmoid(-5.5 - 0.9 * q + (plan.status[i] === STATUS_ABNORMAL ? 1.3 : 0) + (plan.status[i] === STATUS_REVOKED ? 1.6 : 0))
  if (rng.chance(pBlack)) flags |= F_BLACKLISTED
  if (rng.chance(0.75)) flags |= F_COORDS
  if (alive && rng.chance(sigmoid(-2.9 + 0.5 * q + 0.6 * plan.growth[i]!))) flags |= F_CAPITAL_INCREASE
  plan.flags[i] = flags

  plan.phoneId[i] = i
  plan.addressId[i] = i
  if (inGang) {
    plan.gang[i] = gang.id
    plan.legalRep[i] = gang.shareLegalRep ? rng.pick(gang.legalReps) : freshPerson(plan, rng)
    if (gang.sharePhone) plan.phoneId[i] = rng.pick(gang.phones)
    if (gang.shareAddress) plan.addressId[i] = rng.pick(gang.addresses)
  } else {
    // a minority of people run several firms; picking an earlier firm's rep makes that count power-law
    plan.legalRep[i] = i > 0 && rng.chance(0.12) ? plan.legalRep[rng.int(i)]! : freshPerson(plan, rng)
  }
  if (ageDays > 400 && rng.chance(sigmoid(-3.3 - 0.5 * q + (inGang ? 1.5 : 0)))) {
    plan.formerLegalRep[i] = freshPerson(plan, rng)
  }
}

function roundTo(x: number, unit: number): number {
  return Math.max(unit, Math.round(x / unit) * unit)
}
