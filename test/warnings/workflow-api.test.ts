import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise } from '../helpers/factories.js'
import { riskEvent } from './helpers.js'

let t: TestApp
let hq: Record<string, string>
let mine: Record<string, string>
let theirs: Record<string, string>
const brA = branch({ regionCode: '440305' })
const brB = branch({ regionCode: '510104' })
const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) => t.app.inject({ method, url, headers: t.admin, ...(payload ? { payload: payload as object } : {}) })
const as = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: unknown, extra: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { ...headers, ...extra }, ...(payload ? { payload: payload as object } : {}) })

async function warnedFirm(overrides: Parameters<typeof enterprise>[0] = {}, type = 'LAWSUIT') {
  const e = enterprise(overrides)
  expect((await admin('POST', '/v1/enterprises/batch', { enterprises: [e] })).json().accepted).toBe(1)
  expect((await admin('POST', '/v1/risk-events/batch', { events: [riskEvent(e.uscc, type)] })).json().warnings.created).toBe(1)
  const list = (await as(hq, 'GET', `/v1/warnings?uscc=${e.uscc}`)).json().items
  return { e, w: list[0] as { id: string; version: number; branchId: string | null } }
}

beforeAll(async () => {
  t = await createTestApp()
  await admin('POST', '/v1/branches/batch', { branches: [brA, brB] })
  hq = await t.headersFor('hq')
  mine = await t.headersFor('branch', brA.id)
  theirs = await t.headersFor('branch', brB.id)
})
afterAll(() => t.close())

describe('warning workflow over HTTP', () => {
  it('walks the whole workflow with full history, versions, ETag and audit entries', async () => {
    const { w } = await warnedFirm({ customerBranchId: brA.id })
    expect(w.branchId).toBe(brA.id)
    const steps: [string, string | undefined, string][] = [
      ['acknowledge', undefined, 'ACKNOWLEDGED'], ['confirm', '已核实 verified', 'CONFIRMED'], ['report', undefined, 'REPORTED'], ['close', undefined, 'CLOSED'],
    ]
    let version = 1
    for (const [action, comment, status] of steps) {
      const res = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action, comment, expectedVersion: version })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ status, version: version + 1 })
      expect(res.headers.etag).toBe(`"${version + 1}"`)
      version++
    }
    const detail = (await as(hq, 'GET', `/v1/warnings/${w.id}`)).json()
    expect(detail).toMatchObject({ status: 'CLOSED', resolution: 'CONFIRMED', allowedActions: [] })
    expect(detail.history.map((h: { action: string; fromStatus: string | null; toStatus: string; version: number; comment: string | null }) => [h.action, h.fromStatus, h.toStatus, h.version, h.comment])).toEqual([
      ['create', null, 'OPEN', 1, `LAWSUIT (${detail.events[0].externalId})`],
      ['acknowledge', 'OPEN', 'ACKNOWLEDGED', 2, null], ['confirm', 'ACKNOWLEDGED', 'CONFIRMED', 3, '已核实 verified'],
      ['report', 'CONFIRMED', 'REPORTED', 4, null], ['close', 'REPORTED', 'CLOSED', 5, null],
    ])
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target', '=', `warning:${w.id}`).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['warning.create', 'warning.acknowledge', 'warning.confirm', 'warning.report', 'warning.close'])
  })

  it('409 on out-of-order transitions, 400 on a dismissal without comment, 404 on unknown ids', async () => {
    const { w } = await warnedFirm({ customerBranchId: brA.id })
    const close = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'close' })
    expect(close.statusCode).toBe(409)
    expect(problemOf(close)).toMatchObject({ code: 'invalid_transition', status: 409 })
    await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'acknowledge' })
    for (const comment of [undefined, '', '   ']) {
      const res = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'dismiss', ...(comment === undefined ? {} : { comment }) })
      expect(res.statusCode).toBe(400)
      expect(problemOf(res).code).toBe('comment_required')
    }
    const missing = await as(hq, 'POST', '/v1/warnings/00000000-0000-4000-8000-000000000000/transitions', { action: 'acknowledge' })
    expect(missing.statusCode).toBe(404)
    const bad = await as(hq, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'explode' })
    expect(bad.statusCode).toBe(400)
    expect(problemOf(bad).errors?.[0]?.pointer).toBe('/action')
  })

  it('optimistic concurrency: a stale expectedVersion or If-Match is a 409; disagreeing ones a 400', async () => {
    const { w } = await warnedFirm({ customerBranchId: brA.id })
    const first = await as(hq, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'acknowledge' }, { 'if-match': '"1"' })
    expect(first.statusCode).toBe(200)
    const stale = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'confirm', expectedVersion: 1 })
    expect(stale.statusCode).toBe(409)
    expect(problemOf(stale)).toMatchObject({ code: 'version_conflict', currentVersion: 2 })
    const staleHeader = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'confirm' }, { 'if-match': 'W/"1"' })
    expect(problemOf(staleHeader).code).toBe('version_conflict')
    const disagree = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'confirm', expectedVersion: 2 }, { 'if-match': '"3"' })
    expect(disagree.statusCode).toBe(400)
    const garbage = await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'confirm' }, { 'if-match': 'banana' })
    expect(garbage.statusCode).toBe(400)
    // concurrent transitions with the same version: exactly one wins
    const both = await Promise.all([0, 1].map(() => as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'confirm', expectedVersion: 2 })))
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409])
    expect((await as(hq, 'GET', `/v1/warnings/${w.id}`)).json()).toMatchObject({ status: 'CONFIRMED', version: 3 })
  })

  it('a branch key never sees another branch\'s warnings (404), head office sees all', async () => {
    const { e, w } = await warnedFirm({ customerBranchId: brB.id })
    expect((await as(mine, 'GET', `/v1/warnings/${w.id}`)).statusCode).toBe(404)
    expect(problemOf(await as(mine, 'POST', `/v1/warnings/${w.id}/transitions`, { action: 'acknowledge' })).status).toBe(404)
    expect((await as(mine, 'GET', `/v1/enterprises/${e.uscc}/warning-report`)).statusCode).toBe(404)
    expect((await as(mine, 'GET', `/v1/warnings?uscc=${e.uscc}`)).json().items).toEqual([])
    expect((await as(mine, 'GET', `/v1/warnings?branch=${brB.id}`)).json().items).toEqual([])
    expect((await as(mine, 'GET', `/v1/warnings/daily-report?branch=${brB.id}&date=2026-01-01`)).statusCode).toBe(404)
    expect((await as(theirs, 'GET', `/v1/warnings/${w.id}`)).statusCode).toBe(200)
    expect((await as(hq, 'GET', `/v1/warnings/${w.id}`)).statusCode).toBe(200)
    const mineList = (await as(mine, 'GET', '/v1/warnings?limit=500')).json().items as { branchId: string }[]
    expect(mineList.length).toBeGreaterThan(0)
    expect(new Set(mineList.map((x) => x.branchId))).toEqual(new Set([brA.id]))
  })

  it('owner branch: the customer branch, else the branch serving the region (first 4 digits), else head office only', async () => {
    const { w: byRegion } = await warnedFirm({ regionCode: '440306' })
    expect(byRegion.branchId).toBe(brA.id)
    const { w: orphan } = await warnedFirm({ regionCode: '650102' })
    expect(orphan.branchId).toBeNull()
    expect((await as(mine, 'GET', `/v1/warnings/${orphan.id}`)).statusCode).toBe(404)
    expect((await as(hq, 'GET', `/v1/warnings/${orphan.id}`)).statusCode).toBe(200)
  })
})
