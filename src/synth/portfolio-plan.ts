/**
 * The in-memory plan of a synthetic portfolio: one typed array per attribute, indexed by enterprise or
 * person number. A million enterprises take about 60 MB this way, against several hundred as objects.
 */
import type { IdScheme } from './identifiers.js'
import { WeightedTable, type Rng } from './random.js'
import { DISTRICTS } from './reference-data.js'

export const STATUSES = ['ACTIVE', 'ABNORMAL', 'REVOKED', 'CANCELLED'] as const
export const STATUS_ACTIVE = 0
export const STATUS_ABNORMAL = 1
export const STATUS_REVOKED = 2
export const STATUS_CANCELLED = 3

export const GRADES = ['A', 'B', 'M', 'C', 'D'] as const
export type TaxGrade = (typeof GRADES)[number]
export const GRADE_A = 0
export const GRADE_B = 1
export const GRADE_M = 2
export const GRADE_C = 3
export const GRADE_D = 4
export const NO_GRADE = 255

/** Bits of `flags`. */
export const F_HIGH_TECH = 1
export const F_LISTED = 2
export const F_CUSTOMER = 4
export const F_BLACKLISTED = 8
export const F_COORDS = 16
export const F_SRDI = 32 // 专精特新
export const F_ARREARS = 64
export const F_CAPITAL_INCREASE = 128 // latent: drives marketing response, not emitted

/** Number of monthly tax periods generated before asOf. */
export const TAX_MONTHS = 12

export interface PortfolioPlan {
  n: number
  ids: IdScheme
  asOfDay: number // days since 1970-01-01
  /** Months since 1970-01 of the first tax period. */
  firstPeriod: number
  // enterprises
  district: Uint8Array
  industry: Uint8Array
  establishedDay: Int32Array
  capital: Float64Array // yuan
  paidIn: Float64Array // yuan, NaN when not reported
  status: Uint8Array
  employees: Int32Array // -1 when not reported
  flags: Uint8Array
  /** Latent financial health, N(0,1)-ish; never emitted. */
  quality: Float32Array
  /** Annual revenue growth over the tax window. */
  growth: Float32Array
  /** Annual revenue scale in yuan. */
  revenue: Float64Array
  grade: Uint8Array // GRADE_* or NO_GRADE
  /** Bit m set: the filing of period m (0 = oldest) is a zero filing / late. */
  zeroMask: Uint16Array
  lateMask: Uint16Array
  legalRep: Int32Array // person index
  /** Index of the previous legal rep when it changed in the last 12 months, else -1. */
  formerLegalRep: Int32Array
  gang: Int32Array // gang number or -1
  hub: Int32Array // hub number or -1
  phoneId: Int32Array
  addressId: Int32Array
  /** Gangs occupy consecutive enterprise numbers [gangStart[g], gangStart[g] + gangSize[g]). */
  gangStart: Int32Array
  gangSize: Int32Array
  /** Hub h's members are hubMembers[hubOffsets[h] .. hubOffsets[h + 1]). */
  hubOffsets: Int32Array
  hubMembers: Int32Array
  hubDistrict: Uint8Array
  // persons
  personCount: number
  birthYear: Int16Array
  personBlacklisted: Uint8Array
  /** Persons [0, personNext) have been handed out; relations continue from here. */
  personNext: number
  /** Firms of the investment industry, in the order their stakes are preferred (power-law). */
  investors: Int32Array
  /** USCC per enterprise, computed once: each is referenced by several relations, filings and truth rows. */
  usccs: string[]
}

/** A growable Int32 list: relation endpoints are collected without one object per edge. */
export class IntList {
  private data: Int32Array
  length = 0

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity))
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = v
  }

  get(i: number): number {
    return this.data[i]!
  }

  toArray(): Int32Array {
    return this.data.slice(0, this.length)
  }
}

export function dayOf(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
  if (!m) throw new Error(`asOf must be YYYY-MM-DD, got ${iso}`)
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  const back = new Date(t).toISOString().slice(0, 10)
  if (back !== iso) throw new Error(`asOf is not a calendar date: ${iso}`)
  return t / 86_400_000
}

const isoCache = new Map<number, string>()

/** YYYY-MM-DD of a day number; cached, since a portfolio uses a few thousand distinct days millions of times. */
export function isoOfDay(day: number): string {
  let iso = isoCache.get(day)
  if (iso === undefined) {
    iso = new Date(day * 86_400_000).toISOString().slice(0, 10)
    if (isoCache.size < 100_000) isoCache.set(day, iso)
  }
  return iso
}

/** Months since 1970-01 for a day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * 86_400_000)
  return d.getUTCFullYear() * 12 + d.getUTCMonth() - 1970 * 12
}

export function periodOfMonth(month: number): string {
  const y = 1970 + Math.floor(month / 12)
  return `${y}-${String((month % 12) + 1).padStart(2, '0')}`
}

export const districtTable = new WeightedTable(DISTRICTS.map((d) => d.weight))

/** Hands out the next unused person, or reuses a random one once the pool is spent (only for tiny pools). */
export function freshPerson(plan: PortfolioPlan, rng: Rng): number {
  if (plan.personNext < plan.personCount) return plan.personNext++
  return rng.int(plan.personCount)
}
