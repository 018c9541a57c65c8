import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise, nextUscc } from '../helpers/factories.js'
import { daysAgo, getter, poster, riskEvent } from './helpers.js'

let t: TestApp
let data: Record<string, string>
let hq: Record<string, string>
const asAdmin = () => t.admin
let post: ReturnType<typeof poster>
let getHq: ReturnType<typeof getter>
const ingest = (events: unknown[]) => post('/v1/risk-events/batch', { events }, data)

beforeAll(async () => {
  t = await createTestApp()
  data = await t.headersFor('data')
  hq = await t.headersFor('hq')
  post = poster(t, asAdmin)
  getHq = getter(t, () => hq)
})
afterAll(() => t.close())

async function firms(n: number, overrides: Record<string, unknown> = {}) {
  const rows = Array.from({ length: n }, () => enterprise(overrides))
  expect((await post('/v1/enterprises/batch', { enterprises: rows })).json().accepted).toBe(n)
  return rows
}

async function warningsOf(uscc: string) {
  const res = await getHq(`/v1/warnings?uscc=${uscc}`)
  expect(res.statusCode).toBe(200)
  return res.json().items as { id: string; level: string; kind: string; eventCount: number; mergedCount: number; version: number; eventType: string; status: string }[]
}

describe('POST /v1/risk-events/batch', () => {
  it('rejects bad rows one by one: unknown type (named), unknown enterprise, future or invalid times, bad fields', async () => {
    const [a] = await firms(1)
    const ghost = nextUscc()
    const res = await ingest([
      riskEvent(a!.uscc, 'LAWSUIT'),
      riskEvent(a!.uscc, 'ALIEN_INVASION'),
      riskEvent(ghost, 'LAWSUIT'),
      riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: new Date(Date.now() + 86_400_000).toISOString() }),
      riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: '2026-13-01T00:00:00Z' }),
      riskEvent(a!.uscc, 'LAWSUIT', { severity: 9 }),
      riskEvent(a!.uscc, 'LAWSUIT', { colour: 'red' }),
      { ...riskEvent(a!.uscc, 'LAWSUIT'), source: undefined },
    ])
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r: { index: number; errors: { pointer: string; message: string }[] }) => [r.index, r.errors[0]!.pointer, r.errors[0]!.message])).toEqual([
      [1, '/events/1/type', 'unknown event type ALIEN_INVASION'],
      [2, '/events/2/uscc', `unknown enterprise ${ghost}`],
      [3, '/events/3/occurredAt', 'is in the future'],
      [4, '/events/4/occurredAt', 'must match format "date-time"'],
      [5, '/events/5/severity', 'must be <= 5'],
      [6, '/events/6/colour', 'is not a known field'],
      [7, '/events/7/source', 'is required'],
    ])
    expect(body.warnings).toEqual({ created: 1, escalated: 0, attached: 0, merged: 0, propagated: 0 })
  })

  it('is idempotent on externalId, and refuses a batch naming one externalId twice', async () => {
    const [a] = await firms(1)
    const ev = riskEvent(a!.uscc, 'EXECUTED_PERSON')
    expect((await ingest([ev])).json()).toMatchObject({ accepted: 1, duplicates: 0, warnings: { created: 1 } })
    expect((await ingest([{ ...ev, amount: 9e9 }])).json()).toMatchObject({ accepted: 1, duplicates: 1, warnings: { created: 0, escalated: 0 } })
    const [w] = await warningsOf(a!.uscc)
    expect(w).toMatchObject({ level: 'MEDIUM', eventCount: 1, version: 1 })
    const twice = await ingest([riskEvent(a!.uscc, 'LAWSUIT', { externalId: 'SAME-1' }), riskEvent(a!.uscc, 'LAWSUIT', { externalId: 'SAME-1' })])
    expect(twice.statusCode).toBe(400)
    expect(problemOf(twice).code).toBe('duplicate_keys')
  })

  it('answers 400 problem+json to malformed and oversize bodies', async () => {
    for (const payload of [{}, { events: [] }, { events: 'x' }, { events: [1], extra: 1 }]) {
      const res = await ingest(payload as never)
      expect(res.statusCode).toBe(400)
      expect(problemOf(res).status).toBe(400)
    }
    const many = Array.from({ length: 10_001 }, () => ({}))
    const res = await ingest(many)
    expect(res.statusCode).toBe(400)
    expect(problemOf(res).errors?.[0]?.pointer).toBe('/events')
  })

  it('classifies with warning-levels: amounts, sentiment, severity and 12-month repeats change the level', async () => {
    const [a, b, c, d, e] = await firms(5)
    await ingest([
      riskEvent(a!.uscc, 'LAWSUIT', { amount: 6_000_000 }),
      riskEvent(b!.uscc, 'NEGATIVE_NEWS', { payload: { sentiment: -0.6 } }),
      riskEvent(c!.uscc, 'ADDRESS_CHANGE', { severity: 5 }),
      riskEvent(d!.uscc, 'LEGAL_REP_CHANGE', { occurredAt: daysAgo(200) }),
      riskEvent(d!.uscc, 'LEGAL_REP_CHANGE', { occurredAt: daysAgo(20) }),
      riskEvent(e!.uscc, 'LAWSUIT', { amount: 10 }),
    ])
    expect((await warningsOf(a!.uscc))[0]).toMatchObject({ level: 'HIGH', eventType: 'LAWSUIT' })
    expect((await warningsOf(b!.uscc))[0]).toMatchObject({ level: 'MEDIUM' })
    expect((await warningsOf(c!.uscc))[0]).toMatchObject({ level: 'HIGH' })
    // the second change within 12 months is MEDIUM (WL-LEGAL-REP-CHANGE-REPEAT) and escalates the LOW warning
    expect((await warningsOf(d!.uscc))[0]).toMatchObject({ level: 'MEDIUM', eventCount: 2, version: 2 })
    expect((await warningsOf(e!.uscc))[0]).toMatchObject({ level: 'LOW' })
  })

  it('escalates on a higher event, attaches lower ones, merges duplicates within 7 days', async () => {
    const [a] = await firms(1)
    const r1 = await ingest([riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: daysAgo(10) })])
    expect(r1.json().warnings).toMatchObject({ created: 1 })
    const r2 = await ingest([riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: daysAgo(8) })])
    expect(r2.json().warnings).toMatchObject({ merged: 1 })
    const r3 = await ingest([riskEvent(a!.uscc, 'TAX_ARREARS', { occurredAt: daysAgo(5) })])
    expect(r3.json().warnings).toMatchObject({ escalated: 1 })
    const r4 = await ingest([riskEvent(a!.uscc, 'ZERO_FILING', { occurredAt: daysAgo(4) }), riskEvent(a!.uscc, 'LAWSUIT', { occurredAt: daysAgo(1) })])
    expect(r4.json().warnings).toMatchObject({ attached: 2, merged: 0 })
    const list = await warningsOf(a!.uscc)
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ level: 'MEDIUM', eventType: 'TAX_ARREARS', eventCount: 4, mergedCount: 1, version: 4 })
    const detail = (await getHq(`/v1/warnings/${list[0]!.id}`)).json()
    expect(detail.events.map((e: { type: string; role: string }) => [e.type, e.role])).toEqual([
      ['LAWSUIT', 'created'], ['LAWSUIT', 'merged'], ['TAX_ARREARS', 'escalated'], ['ZERO_FILING', 'attached'], ['LAWSUIT', 'attached'],
    ])
    expect(detail.history.map((h: { action: string; fromLevel: string | null; toLevel: string }) => [h.action, h.fromLevel, h.toLevel])).toEqual([
      ['create', null, 'LOW'], ['escalate', 'LOW', 'MEDIUM'],
    ])
    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'actor']).where('target', '=', `warning:${list[0]!.id}`).orderBy('id').execute()
    expect(audit.map((x) => x.action)).toEqual(['warning.create', 'warning.merge', 'warning.escalate', 'warning.attach', 'warning.attach'])
    expect(new Set(audit.map((x) => x.actor)).size).toBe(1)
  })

  it('starts a new warning once the previous one is closed or dismissed', async () => {
    const [a] = await firms(1)
    await ingest([riskEvent(a!.uscc, 'LAWSUIT')])
    const [w] = await warningsOf(a!.uscc)
    for (const [action, comment] of [['acknowledge'], ['dismiss', '误报 false positive']] as const) {
      expect((await post(`/v1/warnings/${w!.id}/transitions`, { action, comment })).statusCode).toBe(200)
    }
    expect((await ingest([riskEvent(a!.uscc, 'LAWSUIT')])).json().warnings).toMatchObject({ created: 1 })
    const list = await warningsOf(a!.uscc)
    expect(list.map((x) => x.status).sort()).toEqual(['DISMISSED', 'OPEN'])
  })
})
