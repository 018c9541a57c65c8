import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise } from '../helpers/factories.js'
import { gradeOf, gradeRank } from '../../src/leads/grading.js'
import { admittedFirms, createLeadsApp, opportunity } from './helpers.js'

let t: TestApp
let hq: Record<string, string>
let data: Record<string, string>
const brCustomer = branch({ regionCode: '110101', lat: 39.9, lng: 116.4 })
const brRegion = branch({ regionCode: '440305', lat: 22.54, lng: 113.93 })
const brNear = branch({ regionCode: '510104', lat: 30.66, lng: 104.06 })
const cuts = JSON.parse(readFileSync('models/marketing-response/1.0.0/manifest.json', 'utf8')).responseGrades as { grade: string; minScore: number }[]

const ingest = async (events: unknown[]) => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/opportunity-events/batch', headers: data, payload: { events } })
  expect(res.statusCode).toBe(200)
  return res.json()
}
const leadsOf = async (uscc: string) => (await t.app.inject({ method: 'GET', url: `/v1/leads?uscc=${uscc}`, headers: hq })).json().items
const pdOf = async (uscc: string) => (await t.services.models.score('marketing-response', { uscc })).pd

beforeAll(async () => {
  t = await createLeadsApp()
  await t.app.inject({ method: 'POST', url: '/v1/branches/batch', headers: t.admin, payload: { branches: [brCustomer, brRegion, brNear] } })
  hq = await t.headersFor('hq')
  data = await t.headersFor('data')
})
afterAll(() => t.close())

describe('opportunity-event ingest', () => {
  it('is idempotent on externalId and rejects unknown types and enterprises per row', async () => {
    const [a] = await admittedFirms(t, [{ customerBranchId: brCustomer.id }])
    const ev = opportunity(a!.uscc, 'GOV_BID_WON', { amount: 3_000_000 })
    const first = await ingest([ev, opportunity(a!.uscc, 'MOON_LANDING'), opportunity('91330106000000019X', 'NEW_PROJECT')])
    expect(first.accepted).toBe(1)
    expect(first.leads).toEqual({ created: 1, updated: 0 })
    expect(first.rejected).toEqual([
      { index: 1, errors: [{ pointer: '/events/1/type', message: 'unknown opportunity type MOON_LANDING' }] },
      { index: 2, errors: expect.arrayContaining([expect.objectContaining({ pointer: expect.stringMatching(/^\/events\/2/) })]) },
    ])
    const again = await ingest([ev])
    expect(again).toMatchObject({ accepted: 1, duplicates: 1, leads: { created: 0, updated: 0 } })
    const stored = await t.database.db.selectFrom('opportunity_events').select('id').where('uscc', '=', a!.uscc).execute()
    expect(stored).toHaveLength(1)
  })

  it('names an unknown enterprise', async () => {
    const ghost = enterprise()
    const res = await ingest([opportunity(ghost.uscc, 'NEW_PROJECT')])
    expect(res.rejected[0].errors[0]).toEqual({ pointer: '/events/0/uscc', message: `unknown enterprise ${ghost.uscc}` })
  })

  it('filters blacklisted, HIGH-warned and non-admitted enterprises and counts them by reason', async () => {
    const [black, warned] = await admittedFirms(t, [{ blacklisted: true }, {}])
    const young = enterprise({ establishedOn: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10) })
    await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [young] } })
    const risk = await t.app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: t.admin, payload: { events: [
      { externalId: `RE-${process.pid}-1`, uscc: warned!.uscc, type: 'LAWSUIT', amount: 6_000_000, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: 'court' },
    ] } })
    expect(risk.json().warnings.created).toBe(1)
    const res = await ingest([
      opportunity(black!.uscc, 'NEW_PROJECT'), opportunity(warned!.uscc, 'NEW_PROJECT'), opportunity(warned!.uscc, 'FINANCING_ROUND'), opportunity(young.uscc, 'NEW_PROJECT'),
    ])
    expect(res).toMatchObject({ accepted: 4, filtered: { blacklisted: 1, highWarning: 2, admission: 1 }, leads: { created: 0, updated: 0 } })
  })

  it('grades by response probability × weight at the shipped manifest cut-offs, and keeps one open lead per enterprise and signal', async () => {
    const [a] = await admittedFirms(t, [{ customerBranchId: brCustomer.id }])
    const pd = await pdOf(a!.uscc)
    const res = await ingest([opportunity(a!.uscc, 'TRADEMARK_REGISTERED'), opportunity(a!.uscc, 'GOV_BID_WON')])
    expect(res.leads).toEqual({ created: 2, updated: 0 })
    const leads = await leadsOf(a!.uscc)
    const account = leads.find((l: { signal: string }) => l.signal === 'ACCOUNT')
    const credit = leads.find((l: { signal: string }) => l.signal === 'CREDIT')
    expect(account.score).toBeCloseTo(pd * 0.3, 5)
    expect(account.grade).toBe(gradeOf(pd * 0.3, cuts))
    expect(credit.grade).toBe(gradeOf(pd * 0.9, cuts))
    const detail = (await t.app.inject({ method: 'GET', url: `/v1/leads/${credit.id}`, headers: hq })).json()
    expect(detail.products).toEqual(['TAX_LOAN', 'TECH_LOAN'])

    // A heavier ACCOUNT event attaches to the open lead and may raise its grade, never lower it.
    const later = await ingest([opportunity(a!.uscc, 'NEW_SUBSIDIARY')])
    expect(later.leads).toEqual({ created: 0, updated: 1 })
    const after = (await leadsOf(a!.uscc)).filter((l: { signal: string }) => l.signal === 'ACCOUNT')
    expect(after).toHaveLength(1)
    expect(after[0].id).toBe(account.id)
    expect(after[0].score).toBeCloseTo(pd * 0.7, 5)
    expect(after[0].grade).toBe(gradeOf(pd * 0.7, cuts))
    expect(gradeRank(after[0].grade)).toBeLessThanOrEqual(gradeRank(account.grade))
    const events = (await t.app.inject({ method: 'GET', url: `/v1/leads/${account.id}`, headers: hq })).json().events
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['NEW_SUBSIDIARY', 'TRADEMARK_REGISTERED'])
  })

  it('assigns customers to their RM, prospects to their region branch, else the nearest branch within the radius, else head office', async () => {
    const [customer, regional, near, far] = await admittedFirms(t, [
      { customerBranchId: brCustomer.id, relationshipManagerId: 'RM-007' },
      { regionCode: '440306' },
      { regionCode: '520102', lat: 30.67, lng: 104.07 },
      { regionCode: '620102', lat: 36.06, lng: 103.83 },
    ])
    const res = await ingest([customer, regional, near, far].map((e) => opportunity(e!.uscc, 'NEW_PROJECT')))
    expect(res.leads.created).toBe(4)
    const placed = async (uscc: string) => { const [l] = await leadsOf(uscc); return { branchId: l.branchId, ownerId: l.ownerId } }
    expect(await placed(customer!.uscc)).toEqual({ branchId: brCustomer.id, ownerId: 'RM-007' })
    expect(await placed(regional!.uscc)).toEqual({ branchId: brRegion.id, ownerId: null })
    expect(await placed(near!.uscc)).toEqual({ branchId: brNear.id, ownerId: null })
    expect(await placed(far!.uscc)).toEqual({ branchId: null, ownerId: null })
  })

  it('answers 503 when the marketing-response model is not served', async () => {
    const bare = await createTestApp()
    try {
      const [a] = await admittedFirms(bare, [{}])
      const res = await bare.app.inject({ method: 'POST', url: '/v1/opportunity-events/batch', headers: bare.admin, payload: { events: [opportunity(a!.uscc, 'NEW_PROJECT')] } })
      expect(res.statusCode).toBe(503)
      expect(problemOf(res).code).toBe('model_unavailable')
    } finally {
      await bare.close()
    }
  })
})
