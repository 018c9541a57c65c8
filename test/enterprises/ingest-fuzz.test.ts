import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'

let t: TestApp
let data: Record<string, string>
beforeAll(async () => {
  t = await createTestApp()
  data = await t.headersFor('data')
})
afterAll(() => t.close())

/** Values of every JSON kind, including the ones that break naive code: huge numbers, NaN-like strings, deep nesting. */
const jsonValue = fc.oneof(
  fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
  fc.constantFrom('', '2020-02-30', '9999-12-31', '1e308', 'NaN', '91350100M000100Y43', 'ACTIVE', 'SHAREHOLDER', '330106', 'C3311'),
  fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
)
const base = enterprise()
/** A valid row with some fields replaced, removed or added. */
const mutatedRow = fc.record({
  replace: fc.dictionary(fc.constantFrom(...Object.keys(base), 'type', 'fromId', 'toId', 'ratio', 'period', 'id', 'birthYear'), jsonValue, { maxKeys: 4 }),
  drop: fc.subarray(Object.keys(base)),
}).map(({ replace, drop }) => {
  const row: Record<string, unknown> = { ...base, ...replace }
  for (const k of drop) delete row[k]
  return row
})
const rows = fc.array(fc.oneof(mutatedRow, jsonValue), { maxLength: 8 })

const ENDPOINTS: [string, string][] = [
  ['/v1/enterprises/batch', 'enterprises'], ['/v1/persons/batch', 'persons'], ['/v1/relations/batch', 'relations'],
  ['/v1/tax-filings/batch', 'filings'], ['/v1/branches/batch', 'branches'],
]

describe('ingest endpoints never answer 500 to generated bodies', () => {
  it.each(ENDPOINTS)('%s', async (url, key) => {
    const body = fc.oneof(
      rows.map((r) => ({ [key]: r })),
      fc.record({ [key]: rows, extra: jsonValue }),
      jsonValue.map((v) => ({ [key]: v })),
      jsonValue,
    )
    await fc.assert(fc.asyncProperty(body, async (payload) => {
      const res = await t.app.inject({ method: 'POST', url, headers: { ...data, 'content-type': 'application/json' }, payload: JSON.stringify(payload) })
      expect(res.statusCode).toBeLessThan(500)
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      else expect(res.json()).toHaveProperty('accepted')
    }), { numRuns: 150 })
  })

  it('PUT /v1/enterprises/{uscc}', async () => {
    await fc.assert(fc.asyncProperty(mutatedRow, fc.constantFrom(base.uscc, '91350100M000100Y44', 'x'), async (row, uscc) => {
      const { uscc: _drop, ...body } = row
      const res = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${encodeURIComponent(uscc)}`, headers: data, payload: body })
      expect(res.statusCode).toBeLessThan(500)
      if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    }), { numRuns: 150 })
  })
})
