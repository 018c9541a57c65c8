import { FEATURES, type FeatureDef, type FeatureSource as Source } from './catalog.js'
import { industryRiskIndex } from './industry-risk.js'

/** One tax filing as the assembly reads it (newest first in FeatureSource.filings). */
export interface FilingFact {
  period: string
  revenue: number
  taxPaid: number
  zero: boolean
  late: boolean
  grade: string | null
  arrears: boolean
}

/** Everything the assembly needs about one enterprise, as one database query returns it. */
export interface FeatureSourceRow {
  uscc: string
  establishedOn: string
  registeredCapital: number
  paidInCapital: number | null
  employees: number | null
  industryCode: string
  status: string
  isListed: boolean
  tags: string[]
  blacklisted: boolean
  legalRepBirthYear: number | null
  legalRepChanges12m: number
  shareholderChanges12m: number
  /** Up to 24 filings up to the as-of period, newest first. */
  filings: FilingFact[]
  /** Graph features from the latest snapshot (feature_rows), or null before the first graph run. */
  graph: Record<string, number> | null
  snapshotId: string | null
  /** Event-derived values (risk events and open HIGH warnings); null when not loaded. */
  events: Record<string, number | boolean> | null
}

export type FeatureValue = number | boolean | string | null
export interface AssembledFeatures {
  uscc: string
  snapshotId: string | null
  values: Record<string, FeatureValue>
  provenance: Record<string, Source>
}

function monthsBetween(fromIso: string, to: Date): number {
  const from = new Date(fromIso + 'T00:00:00Z')
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth())
  if (to.getUTCDate() < from.getUTCDate()) months--
  return Math.max(0, months)
}

const sum = (xs: readonly FilingFact[], f: (x: FilingFact) => number) => xs.reduce((s, x) => s + f(x), 0)

/** 税务 features from the filings (newest first). */
function taxFeatures(filings: readonly FilingFact[]): Record<string, FeatureValue> {
  if (filings.length === 0) return { taxFilingMonths: 0 }
  const last12 = filings.slice(0, 12)
  let consecutive = 0
  for (const f of filings) { if (f.zero) consecutive++; else break }
  const rev12 = sum(last12, (f) => f.revenue)
  const prev12 = filings.slice(12, 24)
  const last6 = sum(filings.slice(0, 6), (f) => f.revenue)
  const prev6 = sum(filings.slice(6, 12), (f) => f.revenue)
  return {
    taxCreditGrade: filings.find((f) => f.grade !== null)?.grade ?? null,
    taxRevenue12m: rev12,
    taxRevenueGrowthYoY: prev12.length === 12 && sum(prev12, (f) => f.revenue) > 0 ? rev12 / sum(prev12, (f) => f.revenue) - 1 : null,
    taxRevenueTrend6m: filings.length >= 12 && prev6 > 0 ? last6 / prev6 - 1 : null,
    taxPaid12m: sum(last12, (f) => f.taxPaid),
    zeroFilingMonthsConsecutive: consecutive,
    zeroFilingMonths12m: last12.filter((f) => f.zero).length,
    lateFilings24m: filings.filter((f) => f.late).length,
    taxArrears: filings[0]!.arrears,
    taxFilingMonths: filings.length,
  }
}

/** Applies the catalogue's missing-value policy and provenance to raw values. */
function finish(def: FeatureDef, raw: FeatureValue | undefined): FeatureValue {
  if (raw === undefined || raw === null || (typeof raw === 'number' && !Number.isFinite(raw))) {
    if (def.missing === 'zero') return def.type === 'boolean' ? false : 0
    if (def.missing === 'false') return false
    return null
  }
  if (def.type === 'boolean') return typeof raw === 'boolean' ? raw : raw === 1
  return raw
}

/**
 * The feature vector of one enterprise from its source row: the one implementation of every 工商, 税务,
 * graph and event feature, used by serving (one enterprise) and training (a stream of them).
 * Application features are added by the caller (they come with the request).
 */
export function assembleFeatures(row: FeatureSourceRow, asOf: Date): AssembledFeatures {
  const capital = row.registeredCapital
  const raw: Record<string, FeatureValue | undefined> = {
    entAgeMonths: monthsBetween(row.establishedOn, asOf),
    registeredCapitalLog: Math.log1p(Math.max(0, capital)),
    paidInRatio: row.paidInCapital !== null && capital > 0 ? row.paidInCapital / capital : null,
    employees: row.employees,
    industryRiskIndex: industryRiskIndex(row.industryCode),
    isListed: row.isListed,
    isHighTech: row.tags.includes('HIGH_TECH'),
    abnormalOperation: row.status === 'ABNORMAL',
    legalRepAge: row.legalRepBirthYear !== null ? asOf.getUTCFullYear() - row.legalRepBirthYear : null,
    legalRepChanges12m: row.legalRepChanges12m,
    shareholderChanges12m: row.shareholderChanges12m,
    blacklisted: row.blacklisted,
    industrySection: row.industryCode.charAt(0),
    ...taxFeatures(row.filings),
    ...(row.graph ?? {}),
    ...(row.events ?? {}),
  }
  const values: Record<string, FeatureValue> = {}
  const provenance: Record<string, Source> = {}
  for (const def of FEATURES) {
    if (def.source === 'application') continue
    // Before the first graph run, graph features are unknown, not zero.
    values[def.name] = def.source === 'graph' && row.graph === null ? null : finish(def, raw[def.name])
    provenance[def.name] = def.source
  }
  return { uscc: row.uscc, snapshotId: row.snapshotId, values, provenance }
}
