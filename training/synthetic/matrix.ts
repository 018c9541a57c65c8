/**
 * The synthetic portfolio as a training matrix. Features come only from the serving assembly (streamFeatures)
 * and are encoded by the serving vectorizer, so a trained model reads exactly what the scorer will feed it;
 * synth_truth is read separately and only for labels and the oracle.
 */
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.js'
import { FEATURE_BY_NAME, type FeatureSource } from '../../src/features/catalog.js'
import { streamFeatures } from '../../src/features/features.service.js'
import { compileVectorizer } from '../../src/models/vectorize.js'
import { auc } from '../lib/metrics.js'
import { stratifiedSplit } from '../lib/split.js'

export type PortfolioLabel = 'defaulted' | 'responded'

/** Model input columns for catalogue features: categories become `name=level` one-hot columns (vectorize.ts). */
export function expandColumns(features: readonly string[]): string[] {
  const out: string[] = []
  for (const f of features) {
    const def = FEATURE_BY_NAME.get(f)
    if (!def) throw new Error(`'${f}' is not a catalogue feature`)
    if (def.type === 'category') for (const level of def.categories ?? []) out.push(`${f}=${level}`)
    else out.push(f)
  }
  return out
}

/** Catalogue feature behind a model column (`taxCreditGrade=A` → taxCreditGrade). */
export function baseFeature(column: string): string {
  const eq = column.indexOf('=')
  return eq > 0 ? column.slice(0, eq) : column
}

export function columnSource(column: string): FeatureSource {
  const def = FEATURE_BY_NAME.get(baseFeature(column))
  if (!def) throw new Error(`'${column}' is not a catalogue column`)
  return def.source
}

export interface Truth { usccs: string[]; truePd: Float64Array; defaulted: Uint8Array; responded: Uint8Array }

/** Ground truth of every enterprise in USCC order (the order streamFeatures uses). */
export async function readTruth(db: Db): Promise<Truth> {
  const r = await sql<{ uscc: string; true_pd: number; defaulted: boolean; responded: boolean }>`
    select t.uscc, t.true_pd, t.defaulted, t.responded from synth_truth t join enterprises e on e.uscc = t.uscc order by e.uscc`.execute(db)
  const n = r.rows.length
  const t: Truth = { usccs: new Array<string>(n), truePd: new Float64Array(n), defaulted: new Uint8Array(n), responded: new Uint8Array(n) }
  r.rows.forEach((row, i) => {
    t.usccs[i] = row.uscc
    t.truePd[i] = Number(row.true_pd)
    t.defaulted[i] = row.defaulted ? 1 : 0
    t.responded[i] = row.responded ? 1 : 0
  })
  return t
}

export interface PortfolioMatrix {
  X: Float64Array
  rows: number
  featureNames: string[]
  usccs: string[]
  y: Uint8Array
  /** True PD (for `defaulted`) of each row: the oracle's score. */
  truePd: Float64Array
}

/** Streams every enterprise's features and builds the row-major matrix (NaN = missing) with its labels. */
export async function buildPortfolioMatrix(db: Db, o: {
  asOf: string; features: readonly string[]; label: PortfolioLabel; pageSize?: number; log?: (s: string) => void
}): Promise<PortfolioMatrix> {
  const featureNames = expandColumns(o.features)
  const F = featureNames.length
  const vectorize = compileVectorizer(featureNames)
  const row = new Float32Array(F)
  const chunks: Float64Array[] = []
  const usccs: string[] = []
  const asOf = new Date(`${o.asOf}T00:00:00Z`)
  let last = 0
  for await (const page of streamFeatures(db, asOf, o.pageSize ?? 5000)) {
    const chunk = new Float64Array(page.length * F)
    page.forEach((rec, i) => {
      vectorize(rec.values, row)
      chunk.set(row, i * F)
      usccs.push(rec.uscc)
    })
    chunks.push(chunk)
    if (o.log && Date.now() - last > 3000) { last = Date.now(); o.log(`features: ${usccs.length} enterprises`) }
  }
  const X = new Float64Array(usccs.length * F)
  let off = 0
  for (const c of chunks) { X.set(c, off); off += c.length }
  const truth = await readTruth(db)
  const at = new Map(truth.usccs.map((u, i) => [u, i]))
  const y = new Uint8Array(usccs.length)
  const truePd = new Float64Array(usccs.length)
  usccs.forEach((u, i) => {
    const k = at.get(u)
    if (k === undefined) throw new Error(`enterprise ${u} has no ground truth in synth_truth`)
    y[i] = o.label === 'defaulted' ? truth.defaulted[k]! : truth.responded[k]!
    truePd[i] = truth.truePd[k]!
  })
  o.log?.(`matrix: ${usccs.length} rows × ${F} columns, ${o.label} rate ${(y.reduce((s, v) => s + v, 0) / Math.max(1, y.length)).toFixed(4)}`)
  return { X, rows: usccs.length, featureNames, usccs, y, truePd }
}

/**
 * AUC of the true PD on the held-out rows of the same deterministic split trainFromMatrix makes: the ceiling a
 * model of the observable data can approach (the labels are Bernoulli draws from it).
 */
export function oracleAuc(y: Uint8Array, truePd: Float64Array, testFraction: number, seed: number): { auc: number; testRows: number[] } {
  const [, testRows] = stratifiedSplit(y, testFraction, seed)
  return { auc: auc(testRows.map((r) => truePd[r]!), testRows.map((r) => y[r]!)), testRows }
}
