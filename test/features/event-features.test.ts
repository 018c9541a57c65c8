import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => { t = await createTestApp() })
afterAll(() => t.close())

describe('event features in the assembly', () => {
  it('reflect risk events and open HIGH warnings of the enterprise', async () => {
    const e = enterprise()
    await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [e] } })
    const before = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${e.uscc}/features`, headers: t.admin })).json().values
    expect(before).toMatchObject({ dishonestDebtor: false, lawsuits12m: 0, negativeEvents12m: 0, openHighWarnings: 0 })
    const recent = new Date(Date.now() - 30 * 86_400_000).toISOString()
    const old = new Date(Date.now() - 500 * 86_400_000).toISOString()
    const events = [
      { externalId: `ef-${e.uscc}-1`, uscc: e.uscc, type: 'DISHONEST_DEBTOR', occurredAt: recent, source: 'court' },
      { externalId: `ef-${e.uscc}-2`, uscc: e.uscc, type: 'LAWSUIT', occurredAt: recent, source: 'court' },
      { externalId: `ef-${e.uscc}-3`, uscc: e.uscc, type: 'LAWSUIT', occurredAt: old, source: 'court' },
    ]
    const res = await t.app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: t.admin, payload: { events } })
    expect(res.json().accepted).toBe(3)
    const after = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${e.uscc}/features`, headers: t.admin })).json().values
    expect(after).toMatchObject({ dishonestDebtor: true, equityFrozen: false, lawsuits12m: 1, negativeEvents12m: 2 })
    expect(after.openHighWarnings).toBeGreaterThanOrEqual(1)
  })
})
