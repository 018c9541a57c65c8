import type { Db } from '../db/database.js'
import { createAjv } from '../http/ajv.js'
import { appendAudit } from '../audit/audit.repository.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import { decodeCursor, encodeCursor } from '../shared/cursor.js'
import type { Actor } from '../shared/roles.js'
import { isValidUscc } from '../shared/uscc.js'
import { checkRows, type BatchCheck, type BatchResult } from './batch.js'
import {
  BranchRowSchema, EnterpriseBatchRowSchema, PersonRowSchema, RelationRowSchema, TaxFilingRowSchema, type EnterpriseInput,
} from './enterprises.schemas.js'
import * as repo from './enterprises.repository.js'
import type { BranchRow, EnterpriseRow, PersonRow, RelationRow, TaxFilingRow } from './enterprises.types.js'
import { toEnterprise, toProfile } from './enterprises.mapper.js'
import { relationProblems } from './relation-rules.js'

/** What changed in the reference data, for whoever keeps derived data fresh (graph features). */
export interface ReferenceChange {
  enterprises?: string[]
  relations?: RelationRow[]
  taxFilings?: string[]
}
export type ChangeListener = (change: ReferenceChange) => void

const ajv = createAjv({ coerce: false })
const validators = {
  enterprise: ajv.compile(EnterpriseBatchRowSchema),
  person: ajv.compile(PersonRowSchema),
  relation: ajv.compile(RelationRowSchema),
  taxFiling: ajv.compile(TaxFilingRowSchema),
  branch: ajv.compile(BranchRowSchema),
}

const NOUN = { enterprises: 'enterprise', persons: 'person', branches: 'branch' } as const

/** Rejects rows whose reference (by idOf) names a row that neither the database nor `alsoKnown` holds. */
async function rejectUnknown<T>(
  check: BatchCheck<T>, db: Db, table: keyof typeof NOUN, field: string, idOf: (row: T) => string | null | undefined,
  alsoKnown: ReadonlySet<string> = new Set(),
): Promise<void> {
  // Every schema-valid row is checked, so a row with several problems reports them all.
  const ids = check.rows.map((r) => idOf(r.row)).filter((id): id is string => !!id && !alsoKnown.has(id))
  const known = await repo.existingIds(db, table, ids)
  for (const { index, row } of check.rows) {
    const id = idOf(row)
    if (id && !alsoKnown.has(id) && !known.has(id)) check.reject(index, field, `unknown ${NOUN[table]} ${id}`)
  }
}

export function createEnterprisesService(db: Db, listeners: ChangeListener[] = []) {
  const notify = (change: ReferenceChange) => { for (const l of listeners) l(change) }

  return {
    async upsertOne(uscc: string, input: EnterpriseInput, actor: Actor) {
      const check = checkRows<EnterpriseRow>('enterprise', [{ uscc, ...input }], validators.enterprise, (r) => r.uscc)
      await rejectUnknown(check, db, 'persons', 'legalRepPersonId', (r) => r.legalRepPersonId)
      await rejectUnknown(check, db, 'branches', 'customerBranchId', (r) => r.customerBranchId)
      const errors = [...check.rejected.values()].flat()
      if (errors.length > 0) {
        throw new ValidationError('The enterprise is invalid', errors.map((e) => ({ in: 'body', pointer: e.pointer.replace(/^\/enterprise\/0/, ''), message: e.message })))
      }
      const row = await db.transaction().execute(async (trx) => {
        const before = await repo.findEnterprise(trx, uscc)
        await repo.upsertEnterprises(trx, [{ uscc, ...input }])
        await appendAudit(trx, { actor: actor.keyId, action: before ? 'enterprise.update' : 'enterprise.create', target: `enterprise:${uscc}` })
        return { created: !before, row: (await repo.findEnterprise(trx, uscc))! }
      })
      notify({ enterprises: [uscc] })
      return { created: row.created, enterprise: toEnterprise(row.row) }
    },

    async ingestEnterprises(raw: unknown[]): Promise<BatchResult> {
      const check = checkRows<EnterpriseRow>('enterprises', raw, validators.enterprise, (r) => r.uscc)
      await rejectUnknown(check, db, 'persons', 'legalRepPersonId', (r) => r.legalRepPersonId)
      await rejectUnknown(check, db, 'branches', 'customerBranchId', (r) => r.customerBranchId)
      const rows = check.valid().map((r) => r.row)
      if (rows.length > 0) await db.transaction().execute((trx) => repo.upsertEnterprises(trx, rows))
      notify({ enterprises: rows.map((r) => r.uscc) })
      return check.result()
    },

    async ingestPersons(raw: unknown[]): Promise<BatchResult> {
      const check = checkRows<PersonRow>('persons', raw, validators.person, (r) => r.id)
      const rows = check.valid().map((r) => r.row)
      if (rows.length > 0) await db.transaction().execute((trx) => repo.upsertPersons(trx, rows))
      return check.result()
    },

    async ingestRelations(raw: unknown[]): Promise<BatchResult> {
      const check = checkRows<RelationRow>('relations', raw, validators.relation, (r) => `${r.type}|${r.fromType}|${r.fromId}|${r.toType}|${r.toId}`)
      for (const { index, row } of check.valid()) {
        for (const p of relationProblems(row)) check.reject(index, p.field, p.message)
      }
      const side = (type: 'enterprise' | 'person', which: 'from' | 'to') => (r: RelationRow) =>
        (which === 'from' ? r.fromType : r.toType) === type ? (which === 'from' ? r.fromId : r.toId) : null
      await rejectUnknown(check, db, 'enterprises', 'fromId', side('enterprise', 'from'))
      await rejectUnknown(check, db, 'enterprises', 'toId', side('enterprise', 'to'))
      await rejectUnknown(check, db, 'persons', 'fromId', side('person', 'from'))
      await rejectUnknown(check, db, 'persons', 'toId', side('person', 'to'))
      const rows = check.valid().map((r) => r.row)
      if (rows.length > 0) await db.transaction().execute((trx) => repo.upsertRelations(trx, rows, 'api'))
      notify({ relations: rows })
      return check.result()
    },

    async ingestTaxFilings(raw: unknown[]): Promise<BatchResult> {
      const check = checkRows<TaxFilingRow>('filings', raw, validators.taxFiling, (r) => `${r.uscc}|${r.period}`)
      const thisMonth = new Date().toISOString().slice(0, 7)
      for (const { index, row } of check.valid()) {
        if (row.period > thisMonth) check.reject(index, 'period', `is in the future (after ${thisMonth})`)
        if (row.zeroFiling && row.declaredRevenue !== 0) check.reject(index, 'declaredRevenue', 'must be 0 on a zero filing')
      }
      await rejectUnknown(check, db, 'enterprises', 'uscc', (r) => r.uscc)
      const rows = check.valid().map((r) => r.row)
      if (rows.length > 0) await db.transaction().execute((trx) => repo.upsertTaxFilings(trx, rows))
      notify({ taxFilings: [...new Set(rows.map((r) => r.uscc))] })
      return check.result()
    },

    async ingestBranches(raw: unknown[]): Promise<BatchResult> {
      const check = checkRows<BranchRow>('branches', raw, validators.branch, (r) => r.id)
      for (const { index, row } of check.valid()) if (row.parentId === row.id) check.reject(index, 'parentId', 'a branch cannot be its own parent')
      const inBatch = new Set(check.valid().map((r) => r.row.id))
      await rejectUnknown(check, db, 'branches', 'parentId', (r) => r.parentId, inBatch)
      // Parents first, so the foreign key holds inside the one transaction.
      const rows = check.valid().map((r) => r.row).sort((a, b) => Number(!!a.parentId) - Number(!!b.parentId))
      if (rows.length > 0) await db.transaction().execute((trx) => repo.upsertBranches(trx, rows))
      return check.result()
    },

    async profile(uscc: string) {
      const row = await repo.findEnterprise(db, uscc)
      if (!row) throw new NotFoundError(`Enterprise ${uscc} was not found`)
      const [filings, counts] = await Promise.all([repo.recentTaxFilings(db, uscc), repo.relationCounts(db, uscc)])
      return toProfile(row, filings, counts)
    },

    async list(query: { cursor?: string; limit?: number; region?: string; industry?: string; customer?: boolean }) {
      const limit = query.limit ?? 100
      const after = query.cursor ? decodeCursor(query.cursor)[0] : undefined
      if (after !== undefined && (typeof after !== 'string' || !isValidUscc(after))) {
        throw new ValidationError('The cursor is invalid', [{ in: 'querystring', pointer: '/cursor', message: 'is not a cursor from this list' }])
      }
      const rows = await repo.listEnterprises(db, { after: after as string | undefined, limit, region: query.region, industry: query.industry, customer: query.customer })
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page.map(toEnterprise), nextCursor: rows.length > limit && last ? encodeCursor([last.uscc]) : null }
    },
  }
}

export type EnterprisesService = ReturnType<typeof createEnterprisesService>
