import { sql, type Selectable } from 'kysely'
import type { Executor } from '../db/database.js'
import { executePrepared } from '../db/prepared.js'
import type { ModelRole, ModelVersionsTable } from './models.table.js'
import type { LoggedFeatures } from './score-log.js'

export type ModelVersionRow = Selectable<ModelVersionsTable>
export type ModelVersionSummary = Omit<ModelVersionRow, 'artifact' | 'reference'>
export const SERVING_ROLES: readonly ModelRole[] = ['champion', 'challenger', 'shadow']

const SUMMARY = ['name', 'version', 'kind', 'manifest', 'sha256', 'role', 'traffic', 'created_by', 'created_at', 'promoted_at', 'champion_since'] as const

/** What every node serves, without the artifacts: the cheap periodic check that a node is current. */
export async function servingRoles(db: Executor): Promise<Array<{ name: string; version: string; role: ModelRole; traffic: number; sha256: string }>> {
  return db.selectFrom('model_versions').select(['name', 'version', 'role', 'traffic', 'sha256'])
    .where('role', 'in', SERVING_ROLES).orderBy('name').orderBy('version').execute()
}

export async function loadArtifact(db: Executor, name: string, version: string): Promise<{ manifest: unknown; artifact: Uint8Array; role: ModelRole; sha256: string } | undefined> {
  return db.selectFrom('model_versions').select(['manifest', 'artifact', 'role', 'sha256'])
    .where('name', '=', name).where('version', '=', version).executeTakeFirst()
}

export async function listVersions(db: Executor, name?: string): Promise<ModelVersionSummary[]> {
  let q = db.selectFrom('model_versions').select(SUMMARY)
  if (name !== undefined) q = q.where('name', '=', name)
  return q.orderBy('name').orderBy('created_at', 'desc').orderBy('version', 'desc').execute()
}

export async function existingKeys(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('model_versions').select(['name', 'version']).execute()
  return new Set(rows.map((r) => `${r.name}@${r.version}`))
}

/** Locks every version row of one model name: deploys, promotions and rollbacks of a name run one at a time. */
export async function lockName(trx: Executor, name: string): Promise<ModelVersionSummary[]> {
  return trx.selectFrom('model_versions').select(SUMMARY).where('name', '=', name).forUpdate().execute()
}

export async function insertVersion(trx: Executor, row: {
  name: string; version: string; kind: string; manifest: unknown; artifact: Uint8Array; reference: unknown; sha256: string; role: ModelRole; createdBy: string
}): Promise<boolean> {
  const now = new Date()
  const res = await trx.insertInto('model_versions').values({
    name: row.name, version: row.version, kind: row.kind, manifest: JSON.stringify(row.manifest), artifact: Buffer.from(row.artifact),
    reference: row.reference === undefined ? null : JSON.stringify(row.reference), sha256: row.sha256, role: row.role, traffic: 0, created_by: row.createdBy,
    ...(row.role === 'champion' ? { promoted_at: now, champion_since: now } : {}),
  }).onConflict((oc) => oc.columns(['name', 'version']).doNothing()).executeTakeFirst()
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function setRole(trx: Executor, name: string, version: string, change: {
  role: ModelRole; traffic?: number; promotedAt?: Date; championSince?: Date | null
}): Promise<void> {
  await trx.updateTable('model_versions').set({
    role: change.role, traffic: change.traffic ?? 0,
    ...(change.promotedAt ? { promoted_at: change.promotedAt } : {}),
    ...(change.championSince !== undefined ? { champion_since: change.championSince } : {}),
  }).where('name', '=', name).where('version', '=', version).execute()
}

export interface ScoreLogEntry { name: string; version: string; role: string; uscc: string | null; pd: number; score: number; features: LoggedFeatures | null }

/**
 * One statement per flush (up to 5,000 rows): the rows travel as one jsonb parameter (a prepared statement on
 * PostgreSQL), so a busy second's log costs one JSON.stringify, not a SQL text with thousands of parameters
 * built and parsed on the event loop.
 */
export async function insertScoreLog(db: Executor, rows: readonly ScoreLogEntry[]): Promise<void> {
  // Chunks keep a backlog (after an outage) far below jsonb's size limit.
  for (let i = 0; i < rows.length; i += 5000) {
    const query = sql`insert into model_score_log (name, version, role, uscc, pd, score, features)
      select name, version, role, uscc, pd, score, features
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::jsonb)
        as r(name text, version text, role text, uscc text, pd float8, score float8, features jsonb)`
    await executePrepared(db, query.compile(db))
  }
}

/** The latest `limit` scores of one version, newest first (the rolling monitoring window). */
export async function scoreWindow(db: Executor, name: string, version: string, limit: number, withFeatures: boolean) {
  const q = db.selectFrom('model_score_log').select(['pd', 'score', 'role', 'at']).where('name', '=', name).where('version', '=', version).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit)
  if (!withFeatures) return (await q.execute()).map((r) => ({ ...r, features: null }))
  return q.select('features').execute()
}

/** Score counts by version and role over the latest `limit` scores of a model name. */
export async function volumes(db: Executor, name: string, limit: number): Promise<Array<{ version: string; role: string; count: number; first: Date | null; last: Date | null }>> {
  const recent = db.selectFrom('model_score_log').select(['version', 'role', 'at']).where('name', '=', name).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).as('recent')
  const rows = await db.selectFrom(recent).select(['recent.version', 'recent.role', sql<number>`count(*)::int`.as('count'), sql<Date | null>`min(recent.at)`.as('first'), sql<Date | null>`max(recent.at)`.as('last')])
    .groupBy(['recent.version', 'recent.role']).orderBy('recent.version').orderBy('recent.role').execute()
  return rows.map((r) => ({ ...r, count: Number(r.count) }))
}
