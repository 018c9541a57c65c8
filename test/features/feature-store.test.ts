import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'
import { decisionSources } from '../../src/decisions/decisions.repository.js'
import { createFeatureStore } from '../../src/features/feature-store.js'
import { pendingFeatureRows, writeFeatureRows } from '../../src/features/features.repository.js'
import type { EnterpriseRow } from '../../src/enterprises/enterprises.types.js'

let t: TestApp
let firms: EnterpriseRow[]
const silent = { info: () => {}, warn: () => {} }

async function stored(uscc: string) {
  return t.database.db.selectFrom('enterprise_features').selectAll().where('uscc', '=', uscc).executeTakeFirst()
}
const live = async (uscc: string) => (await t.services.features.forEnterprise(uscc)).values

beforeAll(async () => {
  t = await createTestApp()
  await t.app.inject({ method: 'POST', url: '/v1/persons/batch', headers: t.admin, payload: { persons: [{ id: 'FS-P1', nameMasked: '王*', birthYear: 1980 }] } })
  firms = [enterprise({ legalRepPersonId: 'FS-P1' }), enterprise(), enterprise({ establishedOn: '2010-01-15' })]
  await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: firms } })
  const months = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 9 - i, 1)).toISOString().slice(0, 7))
  const filings = firms.slice(0, 2).flatMap((e) => months.map((period) => ({ uscc: e.uscc, period, declaredRevenue: 500_000, taxPaid: 15_000, grade: 'B' })))
  await t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings } })
  await t.services.graph.recompute()
})
afterAll(() => t.close())

describe('online feature store', () => {
  it('new enterprises wait for the refresher, which stores exactly the live assembly', async () => {
    for (const f of firms) expect((await stored(f.uscc))?.features).toBeNull()
    const r = await t.services.featureStore.refreshAll()
    expect(r.written).toBeGreaterThanOrEqual(firms.length)
    expect((await t.services.featureStore.counts()).pending).toBe(0)
    for (const f of firms) {
      const row = (await stored(f.uscc))!
      expect(row.features).toEqual(await live(f.uscc))
      expect(row.as_of).toBe(new Date().toISOString().slice(0, 10))
      expect(row.legal_rep_person_id).toBe(f.legalRepPersonId ?? null)
    }
    expect((await stored(firms[0]!.uscc))!.features!.legalRepAge).toBe(new Date().getUTCFullYear() - 1980)
  })

  it('a decision reads the stored row, and the same facts as the live assembly', async () => {
    const [withStore] = await decisionSources(t.database.db, [firms[0]!.uscc], new Date())
    expect(withStore!.stored).not.toBeNull()
    expect(withStore!.source).toBeNull()
    expect(withStore!.legalRep).toBe('FS-P1')
    expect(withStore!.stored!.features).toEqual(await live(firms[0]!.uscc))
    await sql`update enterprise_features set features = null where uscc = ${firms[0]!.uscc}`.execute(t.database.db)
    const [without] = await decisionSources(t.database.db, [firms[0]!.uscc], new Date())
    expect(without!.stored).toBeNull()
    expect(without!.source?.uscc).toBe(firms[0]!.uscc)
    expect(without!.legalRep).toBe('FS-P1')
    await t.services.featureStore.refreshAll()
  })

  it('every source table clears the rows of the enterprises a statement touched, and only those', async () => {
    const [a, b, c] = firms.map((f) => f.uscc) as [string, string, string]
    const db = t.database.db
    const changes: [string, () => Promise<unknown>, string][] = [
      ['enterprises', () => sql`update enterprises set employees = coalesce(employees, 0) + 1 where uscc = ${a}`.execute(db), a],
      ['tax_filings', () => t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings: [{ uscc: b, period: '2026-11', declaredRevenue: 900_000, taxPaid: 27_000, grade: 'A' }] } }), b],
      ['risk_events', () => t.app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: t.admin, payload: { events: [{ externalId: `fs-${c}`, uscc: c, type: 'DISHONEST_DEBTOR', occurredAt: new Date(Date.now() - 86_400_000).toISOString(), source: 'court' }] } }), c],
      ['relations', () => sql`insert into relations (type, src_type, src_id, dst_type, dst_id, since) values ('SHAREHOLDER', 'person', 'FS-P1', 'enterprise', ${b}, current_date)`.execute(db), b],
      ['persons', () => sql`update persons set birth_year = 1981 where id = 'FS-P1'`.execute(db), a],
      ['feature_rows', () => sql`update feature_rows set computed_at = now() where uscc = ${c}`.execute(db), c],
      ['warnings', () => sql`update warnings set updated_at = now() where uscc = ${c}`.execute(db), c],
    ]
    for (const [table, change, target] of changes) {
      await t.services.featureStore.refreshAll()
      const before = await Promise.all(firms.map((f) => stored(f.uscc)))
      await change()
      for (const [i, f] of firms.entries()) {
        const row = (await stored(f.uscc))!
        if (f.uscc === target) {
          expect(row.features, `${table} clears ${f.uscc}`).toBeNull()
          expect(Number(row.epoch), table).toBeGreaterThan(Number(before[i]!.epoch))
        } else {
          // The risk event also opens a warning for c, so only look at a and b there.
          if (table === 'risk_events') continue
          expect(row.features, `${table} leaves ${f.uscc}`).not.toBeNull()
        }
      }
    }
    await t.services.featureStore.refreshAll()
    expect((await stored(a))!.features!.legalRepAge).toBe(new Date().getUTCFullYear() - 1981)
    expect((await stored(b))!.features).toEqual(await live(b))
    expect((await stored(c))!.features!.dishonestDebtor).toBe(true)
  })

  it('a vector assembled before a change is not written over it (epoch check)', async () => {
    const uscc = firms[1]!.uscc
    await sql`update enterprises set employees = 7 where uscc = ${uscc}`.execute(t.database.db)
    const day = new Date().toISOString().slice(0, 10)
    const pending = (await pendingFeatureRows(t.database.db, day, 100)).find((p) => p.uscc === uscc)!
    expect(pending).toBeDefined()
    const old = await live(uscc)
    // The change lands after the refresher read the epoch and assembled.
    await sql`update enterprises set employees = 9 where uscc = ${uscc}`.execute(t.database.db)
    const written = await writeFeatureRows(t.database.db, day, [{ ...pending, snapshotId: null, legalRepPersonId: null, features: old }])
    expect(written).toBe(0)
    expect((await stored(uscc))!.features).toBeNull()
    await t.services.featureStore.refreshAll()
    expect((await stored(uscc))!.features!.employees).toBe(9)
  })

  it('rows of an earlier day are refreshed, and rows of deleted enterprises dropped', async () => {
    const tomorrow = new Date(Date.now() + 86_400_000)
    const later = createFeatureStore(t.database.db, { intervalMs: 0, batch: 2, log: silent }, () => tomorrow)
    expect((await later.counts()).pending).toBeGreaterThanOrEqual(firms.length)
    const r = await later.refreshAll()
    expect(r.written).toBeGreaterThanOrEqual(firms.length)
    expect((await stored(firms[2]!.uscc))!.as_of).toBe(tomorrow.toISOString().slice(0, 10))
    // Today's decisions do not use tomorrow's vectors: they assemble live.
    const [today] = await decisionSources(t.database.db, [firms[2]!.uscc], new Date())
    expect(today!.stored).toBeNull()
    expect(today!.source?.uscc).toBe(firms[2]!.uscc)

    const gone = enterprise()
    await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [gone] } })
    await sql`delete from enterprises where uscc = ${gone.uscc}`.execute(t.database.db)
    expect(await stored(gone.uscc)).toBeDefined()
    const after = await later.refreshAll()
    expect(after.dropped).toBe(1)
    expect(await stored(gone.uscc)).toBeUndefined()
  })

  it('the background refresher keeps the store current, and one node refreshes at a time', async () => {
    const bg = createFeatureStore(t.database.db, { intervalMs: 20, batch: 500, log: silent })
    await sql`update enterprises set employees = 11 where uscc = ${firms[0]!.uscc}`.execute(t.database.db)
    bg.start()
    const deadline = Date.now() + 10_000
    while ((await stored(firms[0]!.uscc))!.features === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await bg.stop()
    expect((await stored(firms[0]!.uscc))!.features!.employees).toBe(11)

    // While another node holds the refresher's lock, a pass does nothing.
    await sql`update enterprises set employees = 12 where uscc = ${firms[0]!.uscc}`.execute(t.database.db)
    await t.database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7301301)`.execute(trx)
      if (t.database.kind === 'postgres') {
        const other = await t.services.featureStore.refreshBatch()
        expect(other).toEqual({ written: 0, dropped: 0, skipped: 0, more: false })
      }
    })
    await t.services.featureStore.refreshAll()
    expect((await stored(firms[0]!.uscc))!.features!.employees).toBe(12)
  })
})
