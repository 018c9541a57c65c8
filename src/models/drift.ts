/**
 * Population stability (credit-practice.md §2.1): PSI = Σ (A% − E%)·ln(A% / E%) over the baseline's bins, and
 * CSI, the same per feature. Bins follow training's psiBaseline: value v falls in bin k = #edges ≤ v, shares
 * are over all rows, and missing values are one more bin. An empty bin on either side counts as 0.0001 so
 * that a bin no one fills adds a large but finite term.
 */
import { FEATURE_BY_NAME } from '../features/catalog.js'
import type { PsiBaseline } from './manifest.js'
import { sourceColumn } from './reason-families.js'

export type DriftBand = 'stable' | 'moderate' | 'major'
export const PSI_MODERATE = 0.1
export const PSI_MAJOR = 0.25
const EMPTY_SHARE = 1e-4

export const driftBand = (psi: number): DriftBand => (psi > PSI_MAJOR ? 'major' : psi >= PSI_MODERATE ? 'moderate' : 'stable')

export interface PsiBin { lower: number | null; upper: number | null; missing?: true; expected: number; actual: number }
export interface PsiResult { value: number; band: DriftBand; count: number; bins: PsiBin[] }

/** PSI of `values` (null or NaN = missing) against a baseline; null when there is nothing to compare. */
export function psi(baseline: PsiBaseline, values: ReadonlyArray<number | null>): PsiResult | null {
  const n = values.length
  const { edges, shares } = baseline
  if (n === 0 || shares.length !== edges.length + 1) return null
  const counts = new Array<number>(edges.length + 2).fill(0)
  for (const v of values) {
    if (v === null || Number.isNaN(v)) { counts[edges.length + 1]!++; continue }
    let lo = 0
    let hi = edges.length
    while (lo < hi) { // first edge > v
      const mid = (lo + hi) >> 1
      if (edges[mid]! <= v) lo = mid + 1
      else hi = mid
    }
    counts[lo]!++
  }
  const expected = [...shares, baseline.missingShare ?? 0]
  const bins: PsiBin[] = []
  let value = 0
  for (let k = 0; k < counts.length; k++) {
    const e = expected[k]!
    const a = counts[k]! / n
    const isMissing = k === edges.length + 1
    if (isMissing && e === 0 && a === 0) continue
    const ee = Math.max(e, EMPTY_SHARE)
    const aa = Math.max(a, EMPTY_SHARE)
    value += (aa - ee) * Math.log(aa / ee)
    bins.push(isMissing
      ? { lower: null, upper: null, missing: true, expected: e, actual: round6(a) }
      : { lower: k === 0 ? null : edges[k - 1]!, upper: k === edges.length ? null : edges[k]!, expected: e, actual: round6(a) })
  }
  return { value: round6(value), band: driftBand(value), count: n, bins }
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6

export interface SourceMissing {
  source: string
  features: number
  /** Share of feature values of this source that are missing. */
  valuesMissing: number
  /** Share of rows where every feature of this source is missing (the source was absent). */
  rowsAllMissing: number
  /** The development sample's share of missing values, from the baseline, when it covers the source's features. */
  baselineValuesMissing: number | null
}

/** Missing rates per data source (the catalogue's source of each model feature). */
export function missingBySource(
  features: readonly string[], rows: ReadonlyArray<Record<string, number | null> | null>, baseline?: Record<string, PsiBaseline>,
): SourceMissing[] {
  const bySource = new Map<string, string[]>()
  for (const f of features) {
    const source = FEATURE_BY_NAME.get(sourceColumn(f))?.source ?? 'other'
    bySource.set(source, [...(bySource.get(source) ?? []), f])
  }
  const present = rows.filter((r): r is Record<string, number | null> => r !== null)
  return [...bySource.entries()].map(([source, fs]) => {
    let missing = 0
    let allMissing = 0
    for (const r of present) {
      let m = 0
      for (const f of fs) if (r[f] === null || r[f] === undefined) m++
      missing += m
      if (m === fs.length) allMissing++
    }
    const base = fs.map((f) => baseline?.[f]?.missingShare).filter((v): v is number => typeof v === 'number')
    return {
      source, features: fs.length,
      valuesMissing: present.length ? round6(missing / (present.length * fs.length)) : 0,
      rowsAllMissing: present.length ? round6(allMissing / present.length) : 0,
      baselineValuesMissing: base.length === fs.length ? round6(base.reduce((s, v) => s + v, 0) / base.length) : null,
    }
  })
}
