import type { Selectable } from 'kysely'
import type { Executor } from '../db/database.js'
import type { RuleSetStatus, RuleSetVersionsTable } from './rules.table.js'

export type RuleSetVersionRow = Selectable<RuleSetVersionsTable>

export async function findActive(db: Executor, ruleSetId: string): Promise<RuleSetVersionRow | undefined> {
  return db.selectFrom('rule_set_versions').selectAll().where('rule_set_id', '=', ruleSetId).where('status', '=', 'active').executeTakeFirst()
}

export async function listActive(db: Executor): Promise<RuleSetVersionRow[]> {
  return db.selectFrom('rule_set_versions').selectAll().where('status', '=', 'active').orderBy('rule_set_id').execute()
}

/** Active versions as (id, version) only: the cheap periodic check that a node is current. */
export async function activeVersions(db: Executor): Promise<{ rule_set_id: string; version: string }[]> {
  return db.selectFrom('rule_set_versions').select(['rule_set_id', 'version']).where('status', '=', 'active').execute()
}

export async function findVersion(db: Executor, ruleSetId: string, version: string): Promise<RuleSetVersionRow | undefined> {
  return db.selectFrom('rule_set_versions').selectAll().where('rule_set_id', '=', ruleSetId).where('version', '=', version).executeTakeFirst()
}

export async function listVersions(db: Executor, ruleSetId: string) {
  return db.selectFrom('rule_set_versions')
    .select(['rule_set_id', 'version', 'content_hash', 'status', 'proposed_by', 'approved_by', 'created_at', 'activated_at'])
    .where('rule_set_id', '=', ruleSetId).orderBy('created_at', 'desc').execute()
}

/** Locks every version row of the set: proposals, approvals and rollbacks of one set run one at a time. */
export async function lockRuleSet(trx: Executor, ruleSetId: string): Promise<RuleSetVersionRow[]> {
  return trx.selectFrom('rule_set_versions').selectAll().where('rule_set_id', '=', ruleSetId).forUpdate().execute()
}

export async function insertVersion(trx: Executor, row: {
  ruleSetId: string; version: string; content: unknown; hash: string; status: RuleSetStatus; proposedBy: string; notes?: unknown
}): Promise<void> {
  await trx.insertInto('rule_set_versions').values({
    rule_set_id: row.ruleSetId, version: row.version, content: JSON.stringify(row.content), content_hash: row.hash,
    status: row.status, proposed_by: row.proposedBy, notes: row.notes === undefined ? null : JSON.stringify(row.notes),
  }).execute()
}

export async function setStatus(trx: Executor, ruleSetId: string, version: string, status: RuleSetStatus, approvedBy?: string): Promise<void> {
  await trx.updateTable('rule_set_versions')
    .set({ status, ...(status === 'active' ? { activated_at: new Date(), ...(approvedBy ? { approved_by: approvedBy } : {}) } : {}) })
    .where('rule_set_id', '=', ruleSetId).where('version', '=', version).execute()
}
