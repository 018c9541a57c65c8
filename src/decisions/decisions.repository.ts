import { sql, type Selectable } from 'kysely'
import type { Executor } from '../db/database.js'
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
  response: unknown
  latencyUs: number
  createdBy: string
}

/** Inserts the decision unless its application id is already recorded; returns the new id or undefined. */
export async function insertDecision(db: Executor, d: NewDecision & { id: string }): Promise<string | undefined> {
  const row = await db.insertInto('decisions').values({
    id: d.id, application_id: d.applicationId, request_hash: d.requestHash, uscc: d.uscc, legal_rep_person_id: d.legalRepPersonId,
    product: d.product, channel: d.channel, request: JSON.stringify(d.request), outcome: d.outcome, pd: d.pd, score: d.score,
    grade: d.grade, limit_amount: d.limit, rate_bps: d.rateBps, reasons: JSON.stringify(d.reasons), trace: JSON.stringify(d.trace),
    features: JSON.stringify(d.features), rule_versions: JSON.stringify(d.ruleVersions), model_versions: JSON.stringify(d.modelVersions),
    shadow_scores: null, response: JSON.stringify(d.response), latency_us: d.latencyUs, created_by: d.createdBy,
  }).onConflict((oc) => oc.column('application_id').doNothing()).returning('id').executeTakeFirst()
  return row?.id
}

export async function findByApplicationId(db: Executor, applicationId: string) {
  return db.selectFrom('decisions').select(['id', 'request_hash', 'response']).where('application_id', '=', applicationId).executeTakeFirst()
}

export async function findById(db: Executor, id: string): Promise<DecisionRow | undefined> {
  return db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function setShadowScores(db: Executor, id: string, shadows: unknown): Promise<void> {
  await db.updateTable('decisions').set({ shadow_scores: JSON.stringify(shadows) }).where('id', '=', id).execute()
}

/** The enterprise's legal representative and the velocity counts the anti-fraud rules read, in one statement. */
export async function velocity(db: Executor, uscc: string): Promise<{ legalRep: string | null; sameUscc30d: number; sameLegalRep24h: number }> {
  const r = await sql<{ rep: string | null; uscc30: number; rep24: number }>`
    with e as (select legal_rep_person_id as rep from enterprises where uscc = ${uscc})
    select (select rep from e) as rep,
      (select count(*)::int from decisions d where d.uscc = ${uscc} and d.created_at > now() - interval '30 days') as uscc30,
      (select count(*)::int from decisions d where d.legal_rep_person_id = (select rep from e) and d.created_at > now() - interval '24 hours') as rep24`.execute(db)
  const row = r.rows[0]!
  return { legalRep: row.rep, sameUscc30d: row.uscc30, sameLegalRep24h: row.rep24 }
}

export interface DecisionFilter { uscc?: string; outcome?: string; from?: string; to?: string; after?: { at: string; id: string }; limit: number }

/** Newest first, keyset-paged on (created_at, id); [from, to) half-open. */
export async function listDecisions(db: Executor, f: DecisionFilter) {
  let q = db.selectFrom('decisions')
    .select(['id', 'application_id', 'uscc', 'product', 'outcome', 'pd', 'score', 'grade', 'limit_amount', 'rate_bps', 'created_at', 'latency_us'])
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1)
  if (f.uscc) q = q.where('uscc', '=', f.uscc)
  if (f.outcome) q = q.where('outcome', '=', f.outcome)
  if (f.from) q = q.where('created_at', '>=', new Date(f.from))
  if (f.to) q = q.where('created_at', '<', new Date(f.to))
  if (f.after) {
    const at = new Date(f.after.at)
    const id = f.after.id
    q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]))
  }
  return q.execute()
}

/** Stored decisions for a backtest: their facts and what they decided, newest first. */
export async function decisionsForSimulation(db: Executor, f: { last: number; from?: string; to?: string }) {
  let q = db.selectFrom('decisions').select(['id', 'application_id', 'uscc', 'outcome', 'features', 'pd', 'score', 'rule_versions', 'trace', 'created_at'])
    .orderBy('created_at', 'desc').limit(f.last)
  if (f.from) q = q.where('created_at', '>=', new Date(f.from))
  if (f.to) q = q.where('created_at', '<', new Date(f.to))
  return q.execute()
}
