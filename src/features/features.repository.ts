import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import type { FeatureSourceRow, FilingFact } from './assemble.js'

export interface SourceDbRow {
  uscc: string
  legal_rep_person_id: string | null
  established_on: string
  registered_capital: number
  paid_in_capital: number | null
  employees: number | null
  industry_code: string
  status: string
  is_listed: boolean
  tags: string[]
  blacklisted: boolean
  legal_rep_birth_year: number | null
  legal_rep_changes_12m: number
  shareholder_changes_12m: number
  filings: FilingFact[] | string
  graph: Record<string, number> | null
  snapshot_id: string | null
  events: Record<string, number | boolean> | string
}

export function toSource(r: SourceDbRow): FeatureSourceRow {
  return {
    uscc: r.uscc, establishedOn: r.established_on, registeredCapital: r.registered_capital, paidInCapital: r.paid_in_capital,
    employees: r.employees, industryCode: r.industry_code, status: r.status, isListed: r.is_listed, tags: r.tags,
    blacklisted: r.blacklisted, legalRepBirthYear: r.legal_rep_birth_year, legalRepChanges12m: r.legal_rep_changes_12m,
    shareholderChanges12m: r.shareholder_changes_12m,
    filings: typeof r.filings === 'string' ? (JSON.parse(r.filings) as FilingFact[]) : r.filings,
    graph: r.graph, snapshotId: r.snapshot_id,
    events: typeof r.events === 'string' ? (JSON.parse(r.events) as Record<string, number | boolean>) : r.events,
  }
}

/**
 * The source rows of the feature assembly, in one statement: the enterprise, its legal representative, recent
 * relation changes, its last 24 filings up to the as-of month, its graph feature row and its risk events and
 * open HIGH warnings.
 */
/** The as-of day of every feature (UTC), as the store keys its rows and the source statement windows its counts. */
export const asOfDateOf = (asOf: Date): string => asOf.toISOString().slice(0, 10)

export function sourceQuery(asOf: Date, where: ReturnType<typeof sql>, limit: number | null) {
  const asOfDate = asOfDateOf(asOf)
  const asOfPeriod = asOfDate.slice(0, 7)
  return sql<SourceDbRow>`
    select e.uscc, e.established_on, e.registered_capital, e.paid_in_capital, e.employees, e.industry_code, e.status,
      e.is_listed, e.tags, e.blacklisted, e.legal_rep_person_id, p.birth_year as legal_rep_birth_year,
      (select count(*)::int from relations r where r.dst_type = 'enterprise' and r.dst_id = e.uscc and r.type = 'LEGAL_REP'
         and r.since > e.established_on and r.since > ${asOfDate}::date - interval '12 months') as legal_rep_changes_12m,
      (select count(*)::int from relations r where r.dst_type = 'enterprise' and r.dst_id = e.uscc and r.type = 'SHAREHOLDER'
         and r.since > e.established_on and r.since > ${asOfDate}::date - interval '12 months') as shareholder_changes_12m,
      (select coalesce(json_agg(json_build_object('period', t.period, 'revenue', t.declared_revenue, 'taxPaid', t.tax_paid,
          'zero', t.zero_filing, 'late', t.late, 'grade', t.grade, 'arrears', t.arrears) order by t.period desc), '[]'::json)
       from (select * from tax_filings tf where tf.uscc = e.uscc and tf.period <= ${asOfPeriod} order by tf.period desc limit 24) t) as filings,
      f.values as graph, f.snapshot_id,
      (select json_build_object(
          'dishonestDebtor', coalesce(bool_or(re.type = 'DISHONEST_DEBTOR'), false),
          'equityFrozen', coalesce(bool_or(re.type = 'EQUITY_FROZEN'), false),
          'taxAbnormal', coalesce(bool_or(re.type = 'TAX_ABNORMAL'), false),
          'lawsuits12m', count(*) filter (where re.type = 'LAWSUIT' and re.occurred_at > ${asOfDate}::date - interval '12 months'),
          'negativeEvents12m', count(*) filter (where re.occurred_at > ${asOfDate}::date - interval '12 months'),
          'openHighWarnings', (select count(*) from warnings w where w.uscc = e.uscc and w.level = 'HIGH'
             and w.status <> 'CLOSED' and coalesce(w.resolution, '') <> 'DISMISSED'))
       from risk_events re where re.uscc = e.uscc and re.occurred_at < ${asOfDate}::date + interval '1 day') as events
    from enterprises e
    left join persons p on p.id = e.legal_rep_person_id
    left join feature_rows f on f.uscc = e.uscc
    where ${where}
    order by e.uscc
    ${limit === null ? sql`` : sql`limit ${limit}`}`
}

/** Source rows of the given enterprises, with their legal representative (the feature store keeps it for the velocity counts). */
export async function loadFeatureSources(db: Executor, usccs: readonly string[], asOf: Date): Promise<(FeatureSourceRow & { legalRepPersonId: string | null })[]> {
  if (usccs.length === 0) return []
  const result = await sourceQuery(asOf, sql`e.uscc = any(${[...usccs]}::text[])`, null).execute(db)
  return result.rows.map((r) => ({ ...toSource(r), legalRepPersonId: r.legal_rep_person_id }))
}

/** One page of source rows in USCC order after `after` (training and batch scoring stream these). */
export async function pageFeatureSources(db: Executor, after: string | null, limit: number, asOf: Date): Promise<FeatureSourceRow[]> {
  const where = after === null ? sql`true` : sql`e.uscc > ${after}`
  const result = await sourceQuery(asOf, where, limit).execute(db)
  return result.rows.map(toSource)
}

/** A row of the online feature store that needs (re)assembly, with the epoch it had when it was read. */
export interface PendingFeatureRow { uscc: string; epoch: number }

/**
 * Rows cleared by a change (in USCC order), then rows assembled for an earlier day. Two index range scans that
 * are empty when the store is current: this runs every second, and one OR-ed condition ordered by USCC made
 * PostgreSQL walk the whole table each time (a fifth of a core on the 100k bench database).
 */
export async function pendingFeatureRows(db: Executor, asOfDate: string, limit: number): Promise<PendingFeatureRow[]> {
  const result = await sql<PendingFeatureRow>`
    (select uscc, epoch from enterprise_features where features is null order by uscc limit ${limit})
    union all
    (select uscc, epoch from enterprise_features where as_of < ${asOfDate}::date and features is not null order by as_of limit ${limit})
    limit ${limit}`.execute(db)
  return result.rows.map((r) => ({ uscc: r.uscc, epoch: Number(r.epoch) }))
}

export interface StoredFeatureRow extends PendingFeatureRow {
  snapshotId: string | null
  legalRepPersonId: string | null
  features: Record<string, number | boolean | string | null>
}

/**
 * Writes assembled vectors, each only if its row still has the epoch read before assembling (a change that
 * landed meanwhile cleared it and bumped the epoch: that row stays cleared for the next pass). Returns how many
 * were written.
 */
export async function writeFeatureRows(db: Executor, asOfDate: string, rows: readonly StoredFeatureRow[]): Promise<number> {
  if (rows.length === 0) return 0
  const payload = rows.map((r) => ({ uscc: r.uscc, epoch: r.epoch, snapshot_id: r.snapshotId, legal_rep_person_id: r.legalRepPersonId, features: r.features }))
  const result = await sql`
    update enterprise_features f
    set as_of = ${asOfDate}::date, snapshot_id = r.snapshot_id, legal_rep_person_id = r.legal_rep_person_id, features = r.features, computed_at = now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as r(uscc text, epoch bigint, snapshot_id text, legal_rep_person_id text, features jsonb)
    where f.uscc = r.uscc and f.epoch = r.epoch
    returning f.uscc`.execute(db)
  return result.rows.length
}

/** Removes rows of enterprises that no longer exist (again only at the epoch read). */
export async function dropFeatureRows(db: Executor, rows: readonly PendingFeatureRow[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    delete from enterprise_features f
    using jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(uscc text, epoch bigint)
    where f.uscc = r.uscc and f.epoch = r.epoch`.execute(db)
}

/** How many rows serve the given day, and how many wait for the refresher. */
export async function featureStoreCounts(db: Executor, asOfDate: string): Promise<{ current: number; pending: number }> {
  const r = await sql<{ current: number; pending: number }>`
    select count(*) filter (where features is not null and as_of >= ${asOfDate}::date)::int as current,
      count(*) filter (where features is null or as_of < ${asOfDate}::date)::int as pending
    from enterprise_features`.execute(db)
  return r.rows[0]!
}

/** Takes a transaction-scoped advisory lock if no other session holds it (released at commit or rollback). */
export async function tryTransactionLock(trx: Executor, key: number): Promise<boolean> {
  return (await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${key}) as ok`.execute(trx)).rows[0]!.ok
}
