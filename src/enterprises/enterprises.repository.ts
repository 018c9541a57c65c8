import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import { bulkUpsert, type BulkColumn } from '../db/bulk.js'
import type { BranchRow, EnterpriseRow, PersonRow, RelationRow, TaxFilingRow } from './enterprises.types.js'

const jsonbToTextArray = (v: ReturnType<typeof sql.ref>) => sql`array(select jsonb_array_elements_text(${v}))`

const ENTERPRISE_COLUMNS: BulkColumn[] = [
  { name: 'uscc', type: 'text' }, { name: 'name', type: 'text' }, { name: 'established_on', type: 'date' },
  { name: 'registered_capital', type: 'numeric' }, { name: 'paid_in_capital', type: 'numeric' },
  { name: 'industry_code', type: 'text' }, { name: 'region_code', type: 'text' }, { name: 'address', type: 'text' },
  { name: 'lat', type: 'float8' }, { name: 'lng', type: 'float8' }, { name: 'status', type: 'text' },
  { name: 'employees', type: 'int4' }, { name: 'is_listed', type: 'bool' },
  { name: 'tags', type: 'jsonb', expr: jsonbToTextArray as BulkColumn['expr'] },
  { name: 'phone_hash', type: 'text' }, { name: 'address_hash', type: 'text' }, { name: 'legal_rep_person_id', type: 'text' },
  { name: 'customer_branch_id', type: 'text' }, { name: 'relationship_manager_id', type: 'text' }, { name: 'blacklisted', type: 'bool' },
]

export async function upsertEnterprises(db: Executor, rows: readonly EnterpriseRow[]): Promise<void> {
  const values = rows.map((e) => [
    e.uscc, e.name, e.establishedOn, e.registeredCapital, e.paidInCapital ?? null, e.industryCode, e.regionCode,
    e.address ?? null, e.lat ?? null, e.lng ?? null, e.status, e.employees ?? null, e.isListed ?? false,
    JSON.stringify(e.tags ?? []), e.phoneHash ?? null, e.addressHash ?? null, e.legalRepPersonId ?? null,
    e.customerBranchId ?? null, e.relationshipManagerId ?? null, e.blacklisted ?? false,
  ])
  await bulkUpsert(db, 'enterprises', ENTERPRISE_COLUMNS, values, {
    target: ['uscc'], update: ENTERPRISE_COLUMNS.slice(1).map((c) => c.name), touch: 'updated_at',
  })
}

export async function upsertPersons(db: Executor, rows: readonly (PersonRow & { idHash?: string | null })[]): Promise<void> {
  const cols: BulkColumn[] = [{ name: 'id', type: 'text' }, { name: 'name_masked', type: 'text' }, { name: 'birth_year', type: 'int4' }, { name: 'id_hash', type: 'text' }, { name: 'blacklisted', type: 'bool' }]
  await bulkUpsert(db, 'persons', cols, rows.map((p) => [p.id, p.nameMasked, p.birthYear, p.idHash ?? null, p.blacklisted ?? false]), {
    target: ['id'], update: ['name_masked', 'birth_year', 'id_hash', 'blacklisted'],
  })
}

export async function upsertRelations(db: Executor, rows: readonly RelationRow[], source: string | null = null): Promise<void> {
  const cols: BulkColumn[] = [
    { name: 'type', type: 'text' }, { name: 'src_type', type: 'text' }, { name: 'src_id', type: 'text' },
    { name: 'dst_type', type: 'text' }, { name: 'dst_id', type: 'text' }, { name: 'ratio', type: 'float8' },
    { name: 'amount', type: 'numeric' }, { name: 'since', type: 'date' }, { name: 'until', type: 'date' }, { name: 'source', type: 'text' },
  ]
  const values = rows.map((r) => [r.type, r.fromType, r.fromId, r.toType, r.toId, r.ratio ?? null, r.amount ?? null, r.since ?? null, r.until ?? null, source])
  await bulkUpsert(db, 'relations', cols, values, {
    target: ['type', 'src_type', 'src_id', 'dst_type', 'dst_id'], update: ['ratio', 'amount', 'since', 'until', 'source'], touch: 'updated_at',
  })
}

export async function upsertTaxFilings(db: Executor, rows: readonly TaxFilingRow[]): Promise<void> {
  const cols: BulkColumn[] = [
    { name: 'uscc', type: 'text' }, { name: 'period', type: 'text' }, { name: 'declared_revenue', type: 'numeric' },
    { name: 'tax_paid', type: 'numeric' }, { name: 'zero_filing', type: 'bool' }, { name: 'late', type: 'bool' },
    { name: 'grade', type: 'text' }, { name: 'arrears', type: 'bool' },
  ]
  const values = rows.map((t) => [t.uscc, t.period, t.declaredRevenue, t.taxPaid, t.zeroFiling ?? false, t.late ?? false, t.grade ?? null, t.arrears ?? false])
  await bulkUpsert(db, 'tax_filings', cols, values, {
    target: ['uscc', 'period'], update: ['declared_revenue', 'tax_paid', 'zero_filing', 'late', 'grade', 'arrears'],
  })
}

export async function upsertBranches(db: Executor, rows: readonly BranchRow[]): Promise<void> {
  const cols: BulkColumn[] = [{ name: 'id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'parent_id', type: 'text' }, { name: 'region_code', type: 'text' }, { name: 'lat', type: 'float8' }, { name: 'lng', type: 'float8' }]
  await bulkUpsert(db, 'branches', cols, rows.map((b) => [b.id, b.name, b.parentId ?? null, b.regionCode, b.lat, b.lng]), {
    target: ['id'], update: ['name', 'parent_id', 'region_code', 'lat', 'lng'],
  })
}

export async function upsertTruth(db: Executor, rows: readonly { uscc: string; truePd: number; defaulted: boolean; responded: boolean }[]): Promise<void> {
  const cols: BulkColumn[] = [{ name: 'uscc', type: 'text' }, { name: 'true_pd', type: 'float8' }, { name: 'defaulted', type: 'bool' }, { name: 'responded', type: 'bool' }]
  await bulkUpsert(db, 'synth_truth', cols, rows.map((t) => [t.uscc, t.truePd, t.defaulted, t.responded]), {
    target: ['uscc'], update: ['true_pd', 'defaulted', 'responded'],
  })
}

type IdTable = 'enterprises' | 'persons' | 'branches'
const ID_COLUMN = { enterprises: 'uscc', persons: 'id', branches: 'id' } as const

/** Which of the given ids exist in the table. */
export async function existingIds(db: Executor, table: IdTable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const col = ID_COLUMN[table]
  const unique = [...new Set(ids)]
  const result = await sql<{ id: string }>`select ${sql.ref(col)} as id from ${sql.table(table)} where ${sql.ref(col)} = any(${unique}::text[])`.execute(db)
  return new Set(result.rows.map((r) => r.id))
}

export async function findEnterprise(db: Executor, uscc: string) {
  return db.selectFrom('enterprises').selectAll().where('uscc', '=', uscc).executeTakeFirst()
}

export interface EnterpriseFilter {
  after?: string
  limit: number
  region?: string
  industry?: string
  customer?: boolean
}

export async function listEnterprises(db: Executor, f: EnterpriseFilter) {
  let q = db.selectFrom('enterprises').selectAll().orderBy('uscc').limit(f.limit + 1)
  if (f.after) q = q.where('uscc', '>', f.after)
  if (f.region) q = q.where('region_code', 'like', `${f.region}%`)
  if (f.industry) q = q.where('industry_code', 'like', `${f.industry}%`)
  if (f.customer === true) q = q.where('customer_branch_id', 'is not', null)
  if (f.customer === false) q = q.where('customer_branch_id', 'is', null)
  return q.execute()
}

/** Tax filings of the last 12 periods up to the latest one on file. */
export async function recentTaxFilings(db: Executor, uscc: string) {
  return db.selectFrom('tax_filings').selectAll().where('uscc', '=', uscc).orderBy('period', 'desc').limit(12).execute()
}

export async function relationCounts(db: Executor, uscc: string): Promise<Record<string, number>> {
  const rows = await sql<{ type: string; n: number }>`
    select type, count(*)::int as n from (
      select type from relations where src_type = 'enterprise' and src_id = ${uscc}
      union all
      select type from relations where dst_type = 'enterprise' and dst_id = ${uscc}
    ) r group by type order by type`.execute(db)
  return Object.fromEntries(rows.rows.map((r) => [r.type, r.n]))
}
