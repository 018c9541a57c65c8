/**
 * Lead grading, recommended products and distances (pure). The grade cuts the marketing-response
 * probability × the signal's weight at the served model's `responseGrades` (优质 / 良好 / 一般).
 */
import type { LeadSignal } from '../rules/opportunity-types.js'

export const LEAD_GRADES = ['优质', '良好', '一般'] as const
export type LeadGrade = (typeof LEAD_GRADES)[number]

export interface GradeCut { grade: string; minScore: number }

/** Rank of a grade: 0 is the best; unknown grades rank last. */
export function gradeRank(grade: string): number {
  const i = (LEAD_GRADES as readonly string[]).indexOf(grade)
  return i < 0 ? LEAD_GRADES.length : i
}

/** The first grade whose cut-off the score reaches (cuts are tried best first); the lowest grade otherwise. */
export function gradeOf(score: number, cuts: readonly GradeCut[]): string {
  const sorted = [...cuts].sort((a, b) => b.minScore - a.minScore)
  for (const c of sorted) if (score >= c.minScore) return c.grade
  return sorted[sorted.length - 1]?.grade ?? '一般'
}

/** Reads responseGrades from a model manifest; null when it has none usable. */
export function gradeCutsOf(manifest: unknown): GradeCut[] | null {
  const list = (manifest as { responseGrades?: unknown } | null)?.responseGrades
  if (!Array.isArray(list)) return null
  const cuts = list.filter((c): c is GradeCut => typeof c?.grade === 'string' && typeof c?.minScore === 'number')
  return cuts.length > 0 ? cuts : null
}

export const PRODUCTS_BY_SIGNAL: Readonly<Record<LeadSignal, readonly string[]>> = {
  CREDIT: ['TAX_LOAN', 'TECH_LOAN'],
  ACCOUNT: ['BASIC_ACCOUNT', 'PAYROLL_SERVICE'],
  DEPOSIT: ['CORPORATE_DEPOSIT', 'STRUCTURED_DEPOSIT'],
  SETTLEMENT: ['CASH_MANAGEMENT', 'ACQUIRING'],
  INTERNATIONAL: ['FX_SETTLEMENT', 'TRADE_FINANCE'],
}

export const productsFor = (signal: string): string[] => [...(PRODUCTS_BY_SIGNAL[signal as LeadSignal] ?? [])]

const EARTH_RADIUS_KM = 6371.0088
const rad = (d: number) => (d * Math.PI) / 180

/** Great-circle distance in km (haversine). */
export function haversineKm(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const dLat = rad(lat2 - lat1)
  const dLng = rad(lng2 - lng1)
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** A lat/lng box containing every point within `km` of the centre (a cheap SQL pre-filter before haversine). */
export function boundingBox(lat: number, lng: number, km: number) {
  const dLat = km / 111.32
  const dLng = km / (111.32 * Math.max(0.01, Math.cos(rad(lat))))
  return { minLat: lat - dLat, maxLat: lat + dLat, minLng: lng - dLng, maxLng: lng + dLng }
}
