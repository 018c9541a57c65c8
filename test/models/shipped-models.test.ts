import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await createTestApp({ modelsDir: './models' }) })
afterAll(() => t.close())

describe('the shipped models', () => {
  it('pass the deploy contract at boot and serve as champions', async () => {
    const model = await t.headersFor('model')
    const list = (await t.app.inject({ method: 'GET', url: '/v1/models', headers: model })).json()
    const names = JSON.stringify(list)
    expect(names).toContain('credit-risk')
    expect(names).toContain('marketing-response')
    const active = t.services.models.activeVersions()
    expect(active['credit-risk']?.champion).toBe('1.0.0')
    expect(active['marketing-response']?.champion).toBe('1.0.0')
  })

  it('score a feature record with reasons that add up to the score', async () => {
    const risk = await t.headersFor('risk')
    const features = { entAgeMonths: 14, taxCreditGrade: 'C', zeroFilingMonthsConsecutive: 3, zeroFilingMonths12m: 5, taxArrears: true, registeredCapitalLog: 12 }
    const res = await t.app.inject({ method: 'POST', url: '/v1/models/credit-risk/score', headers: risk, payload: { features } })
    expect(res.statusCode).toBe(200)
    const s = res.json()
    expect(s.pd).toBeGreaterThan(0)
    expect(s.pd).toBeLessThan(1)
    const sum = s.basePoints + s.contributions.reduce((a: number, c: { points: number }) => a + c.points, 0)
    expect(sum).toBeCloseTo(s.score, 2)
    expect(s.reasons.length).toBeGreaterThan(0)
    expect(s.reasons.length).toBeLessThanOrEqual(4)
  })
})
