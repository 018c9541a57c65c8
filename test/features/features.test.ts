import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleFeatures, type FeatureSourceRow } from '../../src/features/assemble.js'
import { FEATURES } from '../../src/features/catalog.js'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { enterprise, nextUscc } from '../helpers/factories.js'

const AS_OF = new Date('2026-10-31T00:00:00Z')
const filing = (period: string, revenue: number, extra: Partial<FeatureSourceRow['filings'][number]> = {}) =>
  ({ period, revenue, taxPaid: revenue * 0.03, zero: revenue === 0, late: false, grade: null, arrears: false, ...extra })

function source(overrides: Partial<FeatureSourceRow> = {}): FeatureSourceRow {
  return {
    uscc: nextUscc(), establishedOn: '2020-11-15', registeredCapital: 1_000_000, paidInCapital: 250_000, employees: 30,
    industryCode: 'E4701', status: 'ACTIVE', isListed: false, tags: ['HIGH_TECH'], blacklisted: false, legalRepBirthYear: 1970,
    legalRepChanges12m: 1, shareholderChanges12m: 0, filings: [], graph: null, snapshotId: null, events: null, ...overrides,
  }
}

describe('feature assembly (pure)', () => {
  it('computes 工商 features from registration data', () => {
    const v = assembleFeatures(source(), AS_OF).values
    expect(v.entAgeMonths).toBe(71) // 2020-11-15 → 2026-10-31: 5 years 11 full months
    expect(v.registeredCapitalLog).toBeCloseTo(Math.log(1_000_001), 10)
    expect(v.paidInRatio).toBe(0.25)
    expect(v.industryRiskIndex).toBe(1.4)
    expect(v.industrySection).toBe('E')
    expect(v.isHighTech).toBe(true)
    expect(v.legalRepAge).toBe(56)
    expect(v.abnormalOperation).toBe(false)
  })

  it('computes 税务 features from filings, newest first', () => {
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(10 - i).padStart(2, '0')}`).concat(['2025-12', '2025-11'])
    const filings = months.map((p, i) => filing(p, i < 3 ? 0 : i < 6 ? 100 : 200, { late: i === 7, grade: i === 1 ? 'C' : i === 5 ? 'B' : null, arrears: i === 0 }))
    const v = assembleFeatures(source({ filings }), AS_OF).values
    expect(v.taxCreditGrade).toBe('C')
    expect(v.zeroFilingMonthsConsecutive).toBe(3)
    expect(v.zeroFilingMonths12m).toBe(3)
    expect(v.taxRevenue12m).toBe(3 * 100 + 6 * 200)
    expect(v.taxRevenueTrend6m).toBeCloseTo(300 / 1200 - 1, 12)
    expect(v.taxRevenueGrowthYoY).toBeNull() // needs 24 months
    expect(v.lateFilings24m).toBe(1)
    expect(v.taxArrears).toBe(true)
    expect(v.taxFilingMonths).toBe(14)
  })

  it('follows the missing-value policy: unknown stays null, counts become 0, flags false', () => {
    const v = assembleFeatures(source({ paidInCapital: null, legalRepBirthYear: null, filings: [] }), AS_OF).values
    expect(v.paidInRatio).toBeNull()
    expect(v.legalRepAge).toBeNull()
    expect(v.taxCreditGrade).toBeNull()
    expect(v.zeroFilingMonths12m).toBe(0)
    expect(v.taxArrears).toBe(false)
    // Graph features are unknown before the first graph run, not zero.
    expect(v.blacklistWithin2Hops).toBeNull()
    const withGraph = assembleFeatures(source({ graph: { blacklistWithin2Hops: 2, inGuaranteeCircle: 1 }, snapshotId: 's1' }), AS_OF)
    expect(withGraph.values.blacklistWithin2Hops).toBe(2)
    expect(withGraph.values.inGuaranteeCircle).toBe(true)
    expect(withGraph.values.sharedPhoneFirms).toBe(0)
    expect(withGraph.snapshotId).toBe('s1')
  })

  it('produces every non-application catalogue feature with its provenance', () => {
    const a = assembleFeatures(source(), AS_OF)
    const expected = FEATURES.filter((f) => f.source !== 'application')
    expect(Object.keys(a.values).sort()).toEqual(expected.map((f) => f.name).sort())
    for (const f of expected) expect(a.provenance[f.name]).toBe(f.source)
  })
})

describe('feature API', () => {
  let t: TestApp
  let headers: Record<string, string>
  beforeAll(async () => {
    t = await createTestApp()
    headers = await t.headersFor('risk')
  })
  afterAll(() => t.close())

  it('serves the catalogue with unique camelCase names', async () => {
    const items = (await t.app.inject({ method: 'GET', url: '/v1/features/catalog', headers })).json().items as { name: string; source: string }[]
    expect(items.length).toBe(FEATURES.length)
    expect(new Set(items.map((i) => i.name)).size).toBe(items.length)
    for (const i of items) expect(i.name).toMatch(/^[a-z][A-Za-z0-9]*$/)
    expect(items.find((i) => i.name === 'taxCreditGrade')).toMatchObject({ source: '税务', categories: ['A', 'B', 'M', 'C', 'D'] })
  })

  it('assembles one enterprise from the database in one query, and 404s for unknown ones', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/persons/batch', headers: t.admin, payload: { persons: [{ id: 'FP-1', nameMasked: '赵*', birthYear: 1990 }] } })
    const e = enterprise({ legalRepPersonId: 'FP-1', establishedOn: '2019-03-01' })
    await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [e] } })
    const filings = ['2026-07', '2026-08', '2026-09'].map((period, i) => ({ uscc: e.uscc, period, declaredRevenue: i === 2 ? 0 : 50_000, taxPaid: i === 2 ? 0 : 1500, zeroFiling: i === 2, grade: 'A' }))
    await t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings } })
    const res = await t.app.inject({ method: 'GET', url: `/v1/enterprises/${e.uscc}/features`, headers })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.values).toMatchObject({ taxCreditGrade: 'A', taxRevenue12m: 100_000, zeroFilingMonthsConsecutive: 1, legalRepAge: new Date().getUTCFullYear() - 1990 })
    expect(body.provenance.taxRevenue12m).toBe('税务')
    expect(body.provenance.blacklistWithin2Hops).toBe('graph')
    const missing = await t.app.inject({ method: 'GET', url: `/v1/enterprises/${nextUscc()}/features`, headers })
    expect(problemOf(missing).status).toBe(404)
  })
})
