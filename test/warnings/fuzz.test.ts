import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'
import { riskEvent } from './helpers.js'

let t: TestApp
let data: Record<string, string>
let hq: Record<string, string>
let warningId: string
const base = enterprise()

beforeAll(async () => {
  t = await createTestApp()
  data = await t.headersFor('data')
  hq = await t.headersFor('hq')
  await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [base] } })
  await t.app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: data, payload: { events: [riskEvent(base.uscc, 'LAWSUIT')] } })
  warningId = (await t.app.inject({ method: 'GET', url: `/v1/warnings?uscc=${base.uscc}`, headers: hq })).json().items[0].id
})
afterAll(() => t.close())

const jsonValue = fc.oneof(
  fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.constantFrom('', '2020-02-30T00:00:00Z', '9999-12-31T00:00:00Z', '1e308', 'NaN', base.uscc, 'LAWSUIT', 'lawsuit', 'acknowledge', 'dismiss', '"1"'),
  fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
)
const template = riskEvent(base.uscc, 'LAWSUIT', { severity: 3, amount: 1000, payload: { sentiment: -0.5 } })
const mutatedEvent = fc.record({
  replace: fc.dictionary(fc.constantFrom(...Object.keys(template), 'extra'), jsonValue, { maxKeys: 4 }),
  drop: fc.subarray(Object.keys(template)),
  id: fc.uuid(),
}).map(({ replace, drop, id }) => {
  const row: Record<string, unknown> = { ...template, externalId: `FZ-${id}`, ...replace }
  for (const k of drop) delete row[k]
  return row
})

const expectProblemOrOk = (res: { statusCode: number; headers: Record<string, unknown> }) => {
  expect(res.statusCode).toBeLessThan(500)
  if (res.statusCode >= 400) expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/)
}

describe('generated bodies never get a 500', () => {
  it('POST /v1/risk-events/batch', async () => {
    const rows = fc.array(fc.oneof(mutatedEvent, jsonValue), { maxLength: 6 })
    const body = fc.oneof(rows.map((events) => ({ events })), fc.record({ events: rows, extra: jsonValue }), jsonValue.map((v) => ({ events: v })), jsonValue)
    await fc.assert(fc.asyncProperty(body, async (payload) => {
      const res = await t.app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: { ...data, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
      expectProblemOrOk(res)
      if (res.statusCode === 200) expect(res.json()).toHaveProperty('accepted')
    }), { numRuns: 150 })
  })

  it('POST /v1/warnings/{id}/transitions', async () => {
    const body = fc.oneof(
      fc.record({ action: fc.oneof(fc.constantFrom('acknowledge', 'confirm', 'dismiss', 'report', 'close'), jsonValue), comment: fc.option(jsonValue, { nil: undefined }), expectedVersion: fc.option(jsonValue, { nil: undefined }) }, { requiredKeys: [] }),
      jsonValue,
    )
    const id = fc.constantFrom(warningId, '00000000-0000-4000-8000-000000000000', 'x', '%00')
    const ifMatch = fc.option(fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom('"1"', 'W/"2"', '*', '99999999999')), { nil: undefined })
    await fc.assert(fc.asyncProperty(body, id, ifMatch, async (payload, wid, match) => {
      const res = await t.app.inject({
        method: 'POST', url: `/v1/warnings/${wid}/transitions`,
        headers: { ...hq, 'content-type': 'application/json', ...(match !== undefined ? { 'if-match': match } : {}) }, payload: JSON.stringify(payload),
      })
      expectProblemOrOk(res)
    }), { numRuns: 150 })
  })

  it('query strings of the read endpoints', async () => {
    const urls = ['/v1/warnings', '/v1/warnings/summary', '/v1/warnings/daily-report', '/v1/warnings/feed']
    const params = fc.dictionary(fc.constantFrom('uscc', 'branch', 'level', 'status', 'type', 'from', 'to', 'cursor', 'limit', 'after', 'date', 'format', 'x'), fc.string({ maxLength: 40 }), { maxKeys: 4 })
    await fc.assert(fc.asyncProperty(fc.constantFrom(...urls), params, async (url, q) => {
      const res = await t.app.inject({ method: 'GET', url, query: q, headers: hq })
      expectProblemOrOk(res)
    }), { numRuns: 150 })
  })

  it('an oversize body is a 413 problem', async () => {
    const big = { events: [riskEvent(base.uscc, 'LAWSUIT', { payload: { blob: 'x'.repeat(2 * 1024 * 1024) } })] }
    const res = await t.app.inject({ method: 'POST', url: `/v1/warnings/${warningId}/transitions`, headers: { ...hq, 'content-type': 'application/json' }, payload: JSON.stringify(big) })
    expect(res.statusCode).toBe(413)
    expectProblemOrOk(res)
  })
})
