import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import { bulkUpsert } from '../db/bulk.js'
import type { EnterpriseRow, PersonRow, RelationRow } from '../enterprises/enterprises.types.js'

/** Tags a bank uses for enterprises it knows to be in default (its own non-performing customers). */
export const DEFAULT_TAGS = ['DEFAULTED', 'NPL'] as const

export interface GraphEnterprise extends Pick<EnterpriseRow, 'uscc' | 'registeredCapital' | 'blacklisted' | 'phoneHash' | 'addressHash' | 'legalRepPersonId'> {
  isCustomer: boolean
  isDefaulted: boolean
}

export async function pageGraphEnterprises(db: Executor, after: string | null, limit: number): Promise<GraphEnterprise[]> {
  const rows = await db.selectFrom('enterprises')
    .select(['uscc', 'registered_capital', 'blacklisted', 'phone_hash', 'address_hash', 'legal_rep_person_id', 'customer_branch_id', 'tags'])
    .$if(after !== null, (q) => q.where('uscc', '>', after!))
    .orderBy('uscc').limit(limit).execute()
  return rows.map((r) => ({
    uscc: r.uscc, registeredCapital: r.registered_capital, blacklisted: r.blacklisted, phoneHash: r.phone_hash,
    addressHash: r.address_hash, legalRepPersonId: r.legal_rep_person_id, isCustomer: r.customer_branch_id !== null,
    isDefaulted: r.tags.some((t) => (DEFAULT_TAGS as readonly string[]).includes(t)),
  }))
}

export async function pagePersons(db: Executor, after: string | null, limit: number): Promise<PersonRow[]> {
  const rows = await db.selectFrom('persons').select(['id', 'name_masked', 'birth_year', 'blacklisted'])
    .$if(after !== null, (q) => q.where('id', '>', after!)).orderBy('id').limit(limit).execute()
  return rows.map((r) => ({ id: r.id, nameMasked: r.name_masked, birthYear: r.birth_year, blacklisted: r.blacklisted }))
}

export async function pageRelations(db: Executor, after: string | null, limit: number): Promise<(RelationRow & { id: string })[]> {
  const rows = await db.selectFrom('relations').select(['id', 'type', 'src_type', 'src_id', 'dst_type', 'dst_id', 'ratio', 'amount', 'since', 'until'])
    .$if(after !== null, (q) => q.where('id', '>', after!)).orderBy('id').limit(limit).execute()
  return rows.map((r) => ({
    id: r.id, type: r.type as RelationRow['type'], fromType: r.src_type as RelationRow['fromType'], fromId: r.src_id,
    toType: r.dst_type as RelationRow['toType'], toId: r.dst_id, ratio: r.ratio, amount: r.amount, since: r.since, until: r.until,
  }))
}

export async function countRows(db: Executor): Promise<{ enterprises: number; persons: number; relations: number }> {
  const r = await sql<{ e: number; p: number; r: number }>`select (select count(*) from enterprises)::int as e, (select count(*) from persons)::int as p, (select count(*) from relations)::int as r`.execute(db)
  const row = r.rows[0]!
  return { enterprises: row.e, persons: row.p, relations: row.r }
}

export async function createSnapshot(db: Executor): Promise<string> {
  const row = await db.insertInto('graph_snapshots').values({ status: 'running' }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function finishSnapshot(db: Executor, id: string, status: 'done' | 'failed', counts: { nodes: number; edges: number; stats: unknown }): Promise<void> {
  await db.updateTable('graph_snapshots')
    .set({ status, node_count: counts.nodes, edge_count: counts.edges, stats: JSON.stringify(counts.stats), finished_at: new Date() })
    .where('id', '=', id).execute()
}

export async function latestSnapshot(db: Executor) {
  return db.selectFrom('graph_snapshots').selectAll().where('status', '=', 'done').orderBy('created_at', 'desc').limit(1).executeTakeFirst()
}

/** Writes graph feature rows (values by feature name) for a snapshot. */
export async function upsertFeatureRows(db: Executor, snapshotId: string, rows: readonly { uscc: string; values: Record<string, number> }[]): Promise<void> {
  await bulkUpsert(db, 'feature_rows',
    [{ name: 'uscc', type: 'text' }, { name: 'snapshot_id', type: 'uuid' }, { name: 'values', type: 'jsonb' }],
    rows.map((r) => [r.uscc, snapshotId, JSON.stringify(r.values)]),
    { target: ['uscc'], update: ['snapshot_id', 'values'], touch: 'computed_at' })
}
