import { sql, type Selectable } from 'kysely'
import type { Executor } from '../db/database.js'
import { executePrepared } from '../db/prepared.js'
import { beforeKey, micros } from '../db/keyset.js'
import { asOfDateOf, sourceQuery, toSource, type SourceDbRow } from '../features/features.repository.js'
import type { FeatureSourceRow, FeatureValue } from '../features/assemble.js'
import type { DecisionsTable } from './decisions.table.js'

export type DecisionRow = Selectable<DecisionsTable>

export interface NewDecision {
  applicationId: string
  requestHash: string
  uscc: string
  legalRepPersonId: string | null
  product: string
  channel: string | null
  request: unknown
  outcome: string
  pd: number | null
  score: number | null
  grade: string | null
  limit: number | null
  rateBps: number | null
  reasons: unknown
  trace: unknown
  features: unknown
  ruleVersions: unknown
  modelVersions: unknown
  featureSnapshot: string | null
  latencyUs: number
  createdBy: string
  /** `features` as JSON text, when the caller has it: then it is sent as is instead of being serialised again. */
  featuresJson?: string
}

/** Statement sizes are padded to the next power of two, so that a few texts cover every batch (each prepared once per connection). */
function paddedSize(n: number): number {
  let size = 1
  while (size < n) size *= 2
  return size
}

/** A row's JSON document; facts that arrived as JSON text (the row then leaves `features` out) are spliced in. */
function rowDocument(row: Record<string, unknown>, featuresJson: string | undefined): string {
  const doc = JSON.stringify(row)
  return featuresJson === undefined ? doc : `${doc.slice(0, -1)},"features":${featuresJson}}`
}

/**
 * Inserts decisions whose application id is not recorded yet, in one statement and one commit: each row travels
 * as its own jsonb parameter, padded with nulls to a power of two (a few prepared statement texts). Returns, per
 * input, the new id or undefined when that application id was already recorded (by an earlier request or earlier
 * in the batch).
 *
 * One parameter per row, not one array for the batch: a batch's JSON text is 100-250 KB and, with the Chinese
 * reason texts, a two-byte string; V8 builds JSON.stringify's output of that size as a rope, and the driver's
 * Buffer.byteLength then flattens it into a new large-object-space string, which cost about 30 µs of CPU per
 * decision on the bench machine (against 1 µs for the same rows as separate small strings; README, measurements).
 */
export async function insertDecisions(db: Executor, ds: readonly (NewDecision & { id: string })[]): Promise<(string | undefined)[]> {
  const rows = ds.map((d) => ({
    id: d.id, application_id: d.applicationId, request_hash: d.requestHash, uscc: d.uscc, legal_rep_person_id: d.legalRepPersonId,
    product: d.product, channel: d.channel, request: d.request, outcome: d.outcome, pd: d.pd, score: d.score, grade: d.grade,
    limit_amount: d.limit, rate_bps: d.rateBps, reasons: d.reasons, trace: d.trace, features: d.featuresJson === undefined ? d.features : undefined, rule_versions: d.ruleVersions,
    model_versions: d.modelVersions, feature_snapshot: d.featureSnapshot, latency_us: d.latencyUs, created_by: d.createdBy,
  }))
  const docs = sql.join(Array.from({ length: paddedSize(rows.length) }, (_, i) => sql`(${i < rows.length ? rowDocument(rows[i]!, ds[i]!.featuresJson) : null}::jsonb)`))
  const query = sql<{ id: string }>`
    insert into decisions (id, application_id, request_hash, uscc, legal_rep_person_id, product, channel, request, outcome, pd, score,
      grade, limit_amount, rate_bps, reasons, trace, features, rule_versions, model_versions, feature_snapshot, latency_us, created_by)
    select id, application_id, request_hash, uscc, legal_rep_person_id, product, channel, request, outcome, pd, score,
      grade, limit_amount, rate_bps, reasons, trace, features, rule_versions, model_versions, feature_snapshot, latency_us, created_by
    from (values ${docs}) as v(doc) cross join lateral jsonb_to_record(v.doc) as r(id uuid, application_id text, request_hash text, uscc text,
      legal_rep_person_id text, product text, channel text, request jsonb, outcome text, pd float8, score float8, grade text,
      limit_amount numeric, rate_bps int, reasons jsonb, trace jsonb, features jsonb, rule_versions jsonb, model_versions jsonb,
      feature_snapshot text, latency_us int, created_by text)
    where v.doc is not null
    on conflict (application_id) do nothing
    returning id`
  const inserted = new Set((await executePrepared(db, query.compile(db))).rows.map((r) => r.id))
  return ds.map((d) => (inserted.has(d.id) ? d.id : undefined))
}

export async function findByApplicationId(db: Executor, applicationId: string) {
  return db.selectFrom('decisions').selectAll().where('application_id', '=', applicationId).executeTakeFirst()
}

export async function findById(db: Executor, id: string): Promise<DecisionRow | undefined> {
  return db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function setShadowScores(db: Executor, id: string, shadows: unknown): Promise<void> {
  await db.updateTable('decisions').set({ shadow_scores: JSON.stringify(shadows) }).where('id', '=', id).execute()
}

export interface DecisionSources {
  /** The enterprise's current row of the online feature store (today's vector), when there is one. */
  stored: { features: Record<string, FeatureValue>; featuresJson: string; snapshotId: string | null } | null
  /** Otherwise the enterprise's feature source row, or null when the enterprise is unknown. */
  source: FeatureSourceRow | null
  legalRep: string | null
  sameUscc30d: number
  sameLegalRep24h: number
}

/**
 * Everything the decisions of a batch read, in one prepared statement: per requested USCC (in order, duplicates
 * allowed) the enterprise's row of the online feature store when it is current for the as-of date, otherwise its
 * feature source row (the feature service's own query, which the plan runs only for those USCCs), and the
 * velocity counts of the anti-fraud rules. One row per USCC comes back whether or not the enterprise is known.
 * The store's vector comes back as text, parsed here: the decision records that same text with its application
 * facts appended, instead of serialising the parsed vector again.
 *
 * The USCCs are a VALUES list padded with nulls to a power of two, not an array: PostgreSQL estimates an
 * array parameter's unnest at 100 rows in a generic plan, so it would never prefer the cached generic plan and
 * would re-plan this statement on every execution; a VALUES list has an exact row count, so each of the few
 * statement sizes is planned once per connection.
 */
export async function decisionSources(db: Executor, usccs: readonly string[], asOf: Date): Promise<DecisionSources[]> {
  const list = sql.join(Array.from({ length: paddedSize(usccs.length) }, (_, i) => sql`(${sql.lit(i + 1)}, ${usccs[i] ?? null}::text)`))
  // The store row joins on its key alone and is judged current in the select list: a condition on as_of in the
  // join let the generic plan pick the as_of index and scan every row of the day (measured: 49 ms per USCC).
  const query = sql<SourceDbRow & { ord: number; stored_features: string | null; stored_snapshot: string | null; stored_rep: string | null; velocity_uscc_30d: number; velocity_rep_24h: number }>`
    select u.ord, (case when c.current then c.features end)::text as stored_features, c.snapshot_id as stored_snapshot, c.legal_rep_person_id as stored_rep, s.*,
      (select count(*)::int from decisions d where d.uscc = u.uscc and d.created_at > now() - interval '30 days') as velocity_uscc_30d,
      (select count(*)::int from decisions d where d.legal_rep_person_id = case when c.current then c.legal_rep_person_id else s.legal_rep_person_id end
         and d.created_at > now() - interval '24 hours') as velocity_rep_24h
    from (values ${list}) as u(ord, uscc)
    left join lateral (select f.*, (f.features is not null and f.as_of = ${asOfDateOf(asOf)}::date) as current
      from enterprise_features f where f.uscc = u.uscc) as c on true
    left join lateral (${sourceQuery(asOf, sql`e.uscc = u.uscc and c.current is not true`, null)}) as s on true
    order by u.ord`
  const rows = (await executePrepared(db, query.compile(db))).rows.slice(0, usccs.length)
  return rows.map((row) => ({
    stored: row.stored_features === null ? null : { features: JSON.parse(row.stored_features) as Record<string, FeatureValue>, featuresJson: row.stored_features, snapshotId: row.stored_snapshot },
    source: row.uscc === null ? null : toSource(row),
    legalRep: row.stored_features === null ? row.legal_rep_person_id : row.stored_rep,
    sameUscc30d: row.velocity_uscc_30d,
    sameLegalRep24h: row.velocity_rep_24h,
  }))
}

export interface DecisionFilter { uscc?: string; outcome?: string; from?: string; to?: string; after?: { us: number; id: string }; limit: number }

/** Newest first, keyset-paged on (created_at, id) in microseconds; [from, to) half-open. */
export async function listDecisions(db: Executor, f: DecisionFilter) {
  let q = db.selectFrom('decisions')
    .select(['id', 'application_id', 'uscc', 'product', 'outcome', 'pd', 'score', 'grade', 'limit_amount', 'rate_bps', 'created_at', 'latency_us'])
    .select(micros(sql`created_at`).as('created_us'))
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1)
  if (f.uscc) q = q.where('uscc', '=', f.uscc)
  if (f.outcome) q = q.where('outcome', '=', f.outcome)
  if (f.from) q = q.where('created_at', '>=', new Date(f.from))
  if (f.to) q = q.where('created_at', '<', new Date(f.to))
  if (f.after) q = q.where(beforeKey(sql`created_at`, sql`id`, f.after))
  return q.execute()
}

/** Stored decisions for a backtest: their facts and what they decided, newest first. */
export async function decisionsForSimulation(db: Executor, f: { last: number; from?: string; to?: string }) {
  let q = db.selectFrom('decisions').select(['id', 'application_id', 'uscc', 'outcome', 'features', 'pd', 'score', 'rule_versions', 'trace', 'reasons', 'created_at'])
    .orderBy('created_at', 'desc').limit(f.last)
  if (f.from) q = q.where('created_at', '>=', new Date(f.from))
  if (f.to) q = q.where('created_at', '<', new Date(f.to))
  return q.execute()
}
