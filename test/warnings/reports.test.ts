import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise } from '../helpers/factories.js'
import { eventFeatureCounts } from '../../src/warnings/warnings.repository.js'
import { daysAgo, riskEvent } from './helpers.js'

let t: TestApp
let hq: Record<string, string>
let br: Record<string, string>
const brA = branch({ regionCode: '320102' })
const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: t.admin, ...(payload ? { payload: payload as object } : {}) })
const get = (headers: Record<string, string>, url: string) => t.app.inject({ method: 'GET', url, headers })
const todayCst = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

async function firms(n: number, overrides: Parameters<typeof enterprise>[0] = {}) {
  const rows = Array.from({ length: n }, () => enterprise(overrides))
  expect((await admin('POST', '/v1/enterprises/batch', { enterprises: rows })).json().accepted).toBe(n)
  return rows
}

beforeAll(async () => {
  t = await createTestApp()
  await admin('POST', '/v1/branches/batch', { branches: [brA] })
  hq = await t.headersFor('hq')
  br = await t.headersFor('branch', brA.id)
})
afterAll(() => t.close())

describe('propagation through ingest, the enterprise report and the feed', () => {
  it('propagates along the graph with the kept path; the report groups related-party warnings by dimension', async () => {
    const [w, holder20, held40, guarantor] = await firms(4, { customerBranchId: brA.id })
    await admin('POST', '/v1/persons/batch', { persons: [{ id: 'WR-P1', nameMasked: '赵*', birthYear: 1970 }] })
    const [exec] = await firms(1)
    await admin('POST', '/v1/relations/batch', {
      relations: [
        { type: 'SHAREHOLDER', fromType: 'enterprise', fromId: w!.uscc, toType: 'enterprise', toId: holder20!.uscc, ratio: 0.2 },
        { type: 'SHAREHOLDER', fromType: 'enterprise', fromId: w!.uscc, toType: 'enterprise', toId: held40!.uscc, ratio: 0.4 },
        { type: 'GUARANTEE', fromType: 'enterprise', fromId: guarantor!.uscc, toType: 'enterprise', toId: w!.uscc, amount: 3_000_000 },
        { type: 'LEGAL_REP', fromType: 'person', fromId: 'WR-P1', toType: 'enterprise', toId: w!.uscc },
        { type: 'EXECUTIVE', fromType: 'person', fromId: 'WR-P1', toType: 'enterprise', toId: exec!.uscc },
      ],
    })
    await t.services.graphSettled()
    // a MEDIUM source: the 20% firm gets nothing (two levels lower), the 40% one LOW, the guarantor MEDIUM
    const res = await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(w!.uscc, 'ADMIN_PENALTY', { amount: 50_000 })] })
    expect(res.json().warnings).toMatchObject({ created: 1, propagated: 3 })
    const report = (await get(hq, `/v1/enterprises/${held40!.uscc}/warning-report`)).json()
    expect(report.direct).toEqual([])
    expect(report.related.SHAREHOLDER).toHaveLength(1)
    expect(report.related.SHAREHOLDER[0]).toMatchObject({
      level: 'LOW', kind: 'propagated', propagatedFromUscc: w!.uscc, dimension: 'SHAREHOLDER', eventType: 'ADMIN_PENALTY', reasons: ['WP-SHAREHOLDER-MAJOR'],
      path: { depth: 1, shareholdingRatio: 0.4, nodes: [{ id: w!.uscc, kind: 'enterprise' }, { id: held40!.uscc, kind: 'enterprise' }], hops: [{ relation: 'SHAREHOLDER', ratio: 0.4 }] },
    })
    expect(Object.keys(report.related).sort()).toEqual(['CUSTOMER', 'EQUITY_HOLDING', 'EXECUTIVE', 'GUARANTEE', 'SHAREHOLDER', 'SUPPLIER'])
    expect((await get(hq, `/v1/warnings?uscc=${holder20!.uscc}`)).json().items).toEqual([])
    const g = (await get(hq, `/v1/enterprises/${guarantor!.uscc}/warning-report`)).json()
    expect(g.related.GUARANTEE[0]).toMatchObject({ level: 'MEDIUM', path: { guaranteeRole: 'GUARANTOR' } })
    const x = (await get(hq, `/v1/enterprises/${exec!.uscc}/warning-report`)).json()
    expect(x.related.EXECUTIVE[0]).toMatchObject({ level: 'LOW', path: { nodes: [{ id: w!.uscc }, { id: 'WR-P1', kind: 'person' }, { id: exec!.uscc }] } })

    // the source escalates to HIGH: the three propagated warnings escalate (same rows, new level and version)
    // and the 20% firm now gets a LOW one
    const esc = await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(w!.uscc, 'DISHONEST_DEBTOR')] })
    expect(esc.json().warnings).toMatchObject({ escalated: 1, propagated: 4 })
    expect((await get(hq, `/v1/warnings?uscc=${holder20!.uscc}`)).json().items.map((i: { level: string }) => i.level)).toEqual(['LOW'])
    const after = (await get(hq, `/v1/enterprises/${held40!.uscc}/warning-report`)).json().related.SHAREHOLDER
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ id: report.related.SHAREHOLDER[0].id, level: 'MEDIUM', version: 2, eventCount: 2 })
    expect((await get(hq, `/v1/enterprises/${guarantor!.uscc}/warning-report`)).json().related.GUARANTEE[0]).toMatchObject({ level: 'HIGH' })

    const trend = (await get(hq, `/v1/enterprises/${w!.uscc}/warning-report`)).json().trend
    expect(trend).toHaveLength(12)
    expect(trend[11]).toMatchObject({ month: todayCst().slice(0, 7), events: 2, HIGH: 1, MEDIUM: 1, LOW: 0, total: 2 })
    expect(trend.slice(0, 11).every((m: { events: number }) => m.events === 0)).toBe(true)
  })

  it('writes HIGH warnings on customers to the outbox; a consumer that was away catches up from its cursor', async () => {
    // The earlier tests' rows reach the feed only once every older transaction on the server has ended (test
    // databases share its transaction ids), so wait for that horizon before taking the starting cursor.
    const mark = Number((await sql<{ x: string }>`select pg_current_xact_id()::text as x`.execute(t.database.db)).rows[0]!.x)
    for (const until = Date.now() + 10_000; Date.now() < until;) {
      const horizon = Number((await sql<{ h: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as h`.execute(t.database.db)).rows[0]!.h)
      if (horizon > mark) break
      await new Promise((r) => setTimeout(r, 50))
    }
    const start = (await get(hq, '/v1/warnings/feed?limit=1000')).json()
    let cursor = start.nextCursor as string
    const [cust, prospect, cust2] = [enterprise({ customerBranchId: brA.id }), enterprise(), enterprise({ customerBranchId: brA.id })]
    await admin('POST', '/v1/enterprises/batch', { enterprises: [cust, prospect, cust2] })
    await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(cust.uscc, 'BANKRUPTCY'), riskEvent(prospect.uscc, 'BANKRUPTCY')] })
    // the consumer is down while more arrive
    await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(cust2.uscc, 'LAWSUIT')] })
    await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(cust2.uscc, 'LOAN_OVERDUE')] })
    const seen: { uscc: string; level: string }[] = []
    // The feed shows a row once every transaction older than it has finished, and transaction ids are shared by
    // the whole server (other test databases included): an empty page means "not yet", so the consumer polls.
    for (const until = Date.now() + 10_000; seen.length < 2 && Date.now() < until;) {
      const page = (await get(hq, `/v1/warnings/feed?after=${cursor}&limit=1`)).json()
      seen.push(...page.items)
      cursor = page.nextCursor
      if (page.items.length === 0) await new Promise((r) => setTimeout(r, 50))
    }
    expect(seen.map((s) => [s.uscc, s.level])).toEqual([[cust.uscc, 'HIGH'], [cust2.uscc, 'HIGH']])
    expect((await get(hq, `/v1/warnings/feed?after=${cursor}`)).json()).toEqual({ items: [], nextCursor: cursor })
    expect((await get(br, `/v1/warnings/feed?after=${start.nextCursor}`)).json().items).toHaveLength(2)
    expect(problemOf(await get(hq, '/v1/warnings/feed?after=not-a-cursor')).status).toBe(400)
  })
})

describe('reads: list, summary, daily report, event features', () => {
  it('lists with filters and keyset pagination', async () => {
    const rows = await firms(5, { customerBranchId: brA.id })
    await admin('POST', '/v1/risk-events/batch', { events: rows.map((r) => riskEvent(r.uscc, 'TAX_ABNORMAL')) })
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { id: string; eventType: string; level: string }[]; nextCursor: string | null } = (await get(hq, `/v1/warnings?type=TAX_ABNORMAL&level=HIGH&status=OPEN&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()
      expect(page.items.length).toBeLessThanOrEqual(2)
      ids.push(...page.items.map((i) => i.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(ids).toHaveLength(5)
    expect(new Set(ids).size).toBe(5)
    expect((await get(hq, `/v1/warnings?type=TAX_ABNORMAL&to=${encodeURIComponent(daysAgo(1))}`)).json().items).toEqual([])
    for (const q of ['level=SEVERE', 'limit=0', 'limit=501', 'cursor=abc', 'from=yesterday', 'uscc=123', 'colour=red']) {
      const res = await get(hq, `/v1/warnings?${q}`)
      expect(res.statusCode, q).toBe(400)
      expect(problemOf(res).status).toBe(400)
    }
  })

  it('summarises for head office by branch × level, event type and CST day', async () => {
    const today = todayCst()
    const s = (await get(hq, `/v1/warnings/summary?from=${today}&to=${today}`)).json()
    expect(s.total).toBeGreaterThan(0)
    const a = s.byBranch.find((b: { branchId: string | null }) => b.branchId === brA.id)
    expect(a.total).toBe(a.HIGH + a.MEDIUM + a.LOW)
    expect(s.daily).toEqual([{ date: today, HIGH: expect.any(Number), MEDIUM: expect.any(Number), LOW: expect.any(Number), total: s.total }])
    expect(s.byEventType.find((x: { type: string }) => x.type === 'TAX_ABNORMAL')).toMatchObject({ zh: '税务非正常户', count: 5 })
    expect(s.topBranches[0]).toMatchObject({ branchId: brA.id })
    expect((await get(br, `/v1/warnings/summary?from=${today}&to=${today}`)).statusCode).toBe(403)
    expect((await get(hq, `/v1/warnings/summary?from=${today}&to=2020-01-01`)).statusCode).toBe(400)
    expect((await get(hq, '/v1/warnings/summary?from=2020-01-01&to=2026-01-01')).statusCode).toBe(400)
    expect((await get(hq, '/v1/warnings/summary?from=2020-02-30&to=2020-03-01')).statusCode).toBe(400)
  })

  it('builds the daily report as JSON and as an xlsx with three sheets that parses back', async () => {
    const [e] = await firms(1, { customerBranchId: brA.id })
    await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(e!.uscc, 'EQUITY_FROZEN')] })
    const w = (await get(hq, `/v1/warnings?uscc=${e!.uscc}`)).json().items[0]
    await t.app.inject({ method: 'POST', url: `/v1/warnings/${w.id}/transitions`, headers: br, payload: { action: 'acknowledge' } })
    const date = todayCst()
    const json = (await get(br, `/v1/warnings/daily-report?date=${date}`)).json()
    expect(json.branchId).toBe(brA.id)
    expect(json.warnings.some((x: { id: string }) => x.id === w.id)).toBe(true)
    expect(json.transitions.find((x: { warningId: string }) => x.warningId === w.id)).toMatchObject({ action: 'acknowledge', toStatus: 'ACKNOWLEDGED', uscc: e!.uscc })
    expect(json.summary.created.total).toBe(json.warnings.length)
    expect(json.summary.transitions).toBe(json.transitions.length)

    const res = await get(br, `/v1/warnings/daily-report?date=${date}&format=xlsx`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总 Summary', '预警 Warnings', '流转 Transitions'])
    const summary = wb.getWorksheet('汇总 Summary')!
    expect(summary.getRow(2).values).toEqual([undefined, '日期 Date', date])
    expect(summary.getRow(7).getCell(2).value).toBe(json.summary.created.total)
    const warnings = wb.getWorksheet('预警 Warnings')!
    expect(warnings.rowCount).toBe(json.warnings.length + 1)
    expect(warnings.getColumn(1).values.includes(w.id)).toBe(true)
    const transitions = wb.getWorksheet('流转 Transitions')!
    expect(transitions.rowCount).toBe(json.transitions.length + 1)
    expect(transitions.getRow(2).getCell(3).value).toBe(json.transitions[0].action)

    expect((await get(hq, `/v1/warnings/daily-report?date=${date}&branch=NO-SUCH`)).statusCode).toBe(404)
    expect((await get(hq, `/v1/warnings/daily-report?date=2026-02-30`)).statusCode).toBe(400)
    expect((await get(hq, `/v1/warnings/daily-report?date=${date}&format=pdf`)).statusCode).toBe(400)
    expect((await get(hq, `/v1/warnings/daily-report?date=${date}`)).json().branchId).toBeNull()
  })

  it('derives event features per enterprise as of a date', async () => {
    const [a, b] = await firms(2)
    await admin('POST', '/v1/risk-events/batch', {
      events: [
        riskEvent(a!.uscc, 'DISHONEST_DEBTOR', { occurredAt: daysAgo(30) }), riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: daysAgo(20) }),
        riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: daysAgo(400) }), riskEvent(a!.uscc, 'EQUITY_FROZEN', { occurredAt: daysAgo(10) }),
      ],
    })
    const now = await eventFeatureCounts(t.database.db, [a!.uscc, b!.uscc], new Date())
    expect(now.get(a!.uscc)).toEqual({ openHighWarnings: 1, dishonestDebtor: true, equityFrozen: true, taxAbnormal: false, lawsuits12m: 1, negativeEvents12m: 3 })
    expect(now.get(b!.uscc)).toEqual({ openHighWarnings: 0, dishonestDebtor: false, equityFrozen: false, taxAbnormal: false, lawsuits12m: 0, negativeEvents12m: 0 })
    const earlier = await eventFeatureCounts(t.database.db, [a!.uscc], new Date(daysAgo(25)))
    expect(earlier.get(a!.uscc)).toMatchObject({ dishonestDebtor: true, equityFrozen: false, lawsuits12m: 0, negativeEvents12m: 1, openHighWarnings: 0 })
  })
})
