import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise } from '../helpers/factories.js'
import { admittedFirms, createLeadsApp, opportunity } from './helpers.js'

let t: TestApp
let hq: Record<string, string>
let mine: Record<string, string>
let theirs: Record<string, string>
const brA = branch({ regionCode: '440305', lat: 22.54, lng: 113.93 })
const brB = branch({ regionCode: '510104', lat: 30.66, lng: 104.06 })
const as = (headers: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload: payload as object } : {}) })

/** A fresh UNCLAIMED lead on a customer of brA. */
async function leadOf(overrides: Parameters<typeof enterprise>[0] = {}) {
  const [e] = await admittedFirms(t, [{ customerBranchId: brA.id, ...overrides }])
  const res = await as(t.admin, 'POST', '/v1/opportunity-events/batch', { events: [opportunity(e!.uscc, 'NEW_PROJECT')] })
  expect(res.json().leads.created).toBe(1)
  const [lead] = (await as(hq, 'GET', `/v1/leads?uscc=${e!.uscc}`)).json().items
  return { e: e!, lead: lead as { id: string; status: string; branchId: string } }
}

beforeAll(async () => {
  t = await createLeadsApp()
  await as(t.admin, 'POST', '/v1/branches/batch', { branches: [brA, brB] })
  hq = await t.headersFor('hq')
  mine = await t.headersFor('branch', brA.id)
  theirs = await t.headersFor('branch', brB.id)
})
afterAll(() => t.close())

describe('lead workflow', () => {
  it('of 20 concurrent claims exactly one wins; the others get 409', async () => {
    const { lead } = await leadOf()
    const keys = await Promise.all(Array.from({ length: 20 }, () => t.headersFor('branch', brA.id)))
    const answers = await Promise.all(keys.map((k) => as(k, 'POST', `/v1/leads/${lead.id}/claim`)))
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect(answers.filter((r) => r.statusCode === 409)).toHaveLength(19)
    const detail = (await as(hq, 'GET', `/v1/leads/${lead.id}`)).json()
    expect(detail.status).toBe('FOLLOWING')
    expect(detail.history.filter((h: { toStatus: string }) => h.toStatus === 'FOLLOWING')).toHaveLength(1)
  })

  it('walks UNCLAIMED → FOLLOWING → PROPOSED → WON with history and audit; 409 on invalid steps', async () => {
    const { lead } = await leadOf()
    expect((await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'PROPOSED' })).statusCode).toBe(409)
    expect((await as(mine, 'POST', `/v1/leads/${lead.id}/claim`)).json()).toMatchObject({ status: 'FOLLOWING', allowedNext: ['PROPOSED', 'CLOSED'] })
    const won = await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'WON' })
    expect(won.statusCode).toBe(409)
    expect(problemOf(won).code).toBe('invalid_transition')
    expect((await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'PROPOSED', note: '已报价' })).json().status).toBe('PROPOSED')
    const done = (await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'WON' })).json()
    expect(done.history.map((h: { fromStatus: string | null; toStatus: string; note: string | null }) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'UNCLAIMED'], ['UNCLAIMED', 'FOLLOWING'], ['FOLLOWING', 'PROPOSED'], ['PROPOSED', 'WON'],
    ])
    expect((await as(mine, 'POST', `/v1/leads/${lead.id}/claim`)).statusCode).toBe(409)
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target', '=', `lead:${lead.id}`).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['lead.create', 'lead.claim', 'lead.proposed', 'lead.won'])
  })

  it('closing needs a reason (400 without), and a closed lead lets a new one open for the same signal', async () => {
    const { e, lead } = await leadOf()
    await as(mine, 'POST', `/v1/leads/${lead.id}/claim`)
    const bare = await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'CLOSED', note: '  ' })
    expect(bare.statusCode).toBe(400)
    expect(problemOf(bare).errors?.[0]?.pointer).toBe('/note')
    expect((await as(mine, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'CLOSED', note: '客户无需求' })).json().status).toBe('CLOSED')
    const again = await as(t.admin, 'POST', '/v1/opportunity-events/batch', { events: [opportunity(e.uscc, 'LAND_ACQUISITION')] })
    expect(again.json().leads).toEqual({ created: 1, updated: 0 })
  })

  it('hides other branches\' leads behind 404 and scopes lists to the key\'s branch', async () => {
    const { lead } = await leadOf()
    expect((await as(theirs, 'GET', `/v1/leads/${lead.id}`)).statusCode).toBe(404)
    expect((await as(theirs, 'POST', `/v1/leads/${lead.id}/claim`)).statusCode).toBe(404)
    expect((await as(theirs, 'POST', `/v1/leads/${lead.id}/transitions`, { to: 'CLOSED', note: 'x' })).statusCode).toBe(404)
    expect((await as(theirs, 'GET', `/v1/leads/${lead.id}/reach-paths`)).statusCode).toBe(404)
    expect((await as(theirs, 'GET', '/v1/leads')).json().items).toEqual([])
    expect((await as(mine, 'GET', '/v1/leads')).json().items.every((l: { branchId: string }) => l.branchId === brA.id)).toBe(true)
    expect((await as(theirs, 'GET', `/v1/branches/${brA.id}/nearby-prospects`)).statusCode).toBe(404)
  })
})

describe('lead reads', () => {
  it('pages with a cursor and filters by status and signal', async () => {
    await leadOf()
    await leadOf()
    const seen = new Set<string>()
    let cursor: string | null = null
    do {
      const page: { items: { id: string; signal: string }[]; nextCursor: string | null } = (await as(hq, 'GET', `/v1/leads?limit=2&signal=CREDIT${cursor ? `&cursor=${cursor}` : ''}`)).json()
      for (const l of page.items) { expect(seen.has(l.id)).toBe(false); expect(l.signal).toBe('CREDIT'); seen.add(l.id) }
      cursor = page.nextCursor
    } while (cursor)
    const total = await t.database.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).where('signal', '=', 'CREDIT').executeTakeFirstOrThrow()
    expect(seen.size).toBe(Number(total.n))
    const unclaimed = (await as(hq, 'GET', '/v1/leads?status=UNCLAIMED&limit=500')).json().items
    expect(unclaimed.length).toBeGreaterThan(0)
    expect(unclaimed.every((l: { status: string }) => l.status === 'UNCLAIMED')).toBe(true)
  })

  it('summarises the funnel by branch and signal, and lists overdue unclaimed leads', async () => {
    const { lead } = await leadOf()
    const summary = (await as(hq, 'GET', '/v1/leads/summary')).json().items
    const row = summary.find((r: { branchId: string; signal: string }) => r.branchId === brA.id && r.signal === 'CREDIT')
    const counts = await t.database.db.selectFrom('leads').select(['status']).where('branch_id', '=', brA.id).where('signal', '=', 'CREDIT').execute()
    expect(row.total).toBe(counts.length)
    expect(row.UNCLAIMED).toBe(counts.filter((c) => c.status === 'UNCLAIMED').length)
    expect((await as(hq, 'GET', '/v1/leads/overdue?days=1')).json().items.map((l: { id: string }) => l.id)).not.toContain(lead.id)
    await t.database.db.updateTable('leads').set({ created_at: new Date(Date.now() - 3 * 86_400_000) }).where('id', '=', lead.id).execute()
    const overdue = (await as(hq, 'GET', '/v1/leads/overdue?days=2')).json().items
    expect(overdue.map((l: { id: string }) => l.id)).toContain(lead.id)
    expect(overdue.every((l: { status: string }) => l.status === 'UNCLAIMED')).toBe(true)
  })

  it('finds reach paths to existing customers within 3 hops', async () => {
    const [customer, prospect] = await admittedFirms(t, [{ customerBranchId: brA.id }, { regionCode: '440306' }])
    await as(t.admin, 'POST', '/v1/relations/batch', { relations: [{ type: 'SHAREHOLDER', fromType: 'enterprise', fromId: customer!.uscc, toType: 'enterprise', toId: prospect!.uscc, ratio: 0.4 }] })
    await t.services.graphSettled()
    await as(t.admin, 'POST', '/v1/graph/recompute?wait=true')
    await as(t.admin, 'POST', '/v1/opportunity-events/batch', { events: [opportunity(prospect!.uscc, 'NEW_PROJECT')] })
    const [lead] = (await as(hq, 'GET', `/v1/leads?uscc=${prospect!.uscc}`)).json().items
    expect(lead.branchId).toBe(brA.id)
    const reach = await as(mine, 'GET', `/v1/leads/${lead.id}/reach-paths`)
    expect(reach.statusCode).toBe(200)
    expect(reach.json().maxHops).toBe(3)
    expect(JSON.stringify(reach.json().paths)).toContain(customer!.uscc)
    expect(JSON.stringify(reach.json().paths)).toContain('SHAREHOLDER')
  })

  it('ranks nearby prospects by response score within the radius; radius out of 1..10 is 400', async () => {
    const spots = [[30.665, 104.065], [30.67, 104.05], [30.65, 104.07], [30.68, 104.06]]
    const prospects = await admittedFirms(t, spots.map(([lat, lng]) => ({ regionCode: '510104', lat, lng })))
    const [customer, outside] = await admittedFirms(t, [{ customerBranchId: brB.id, lat: 30.661, lng: 104.061 }, { regionCode: '510104', lat: 30.75, lng: 104.06 }])
    const res = await as(hq, 'GET', `/v1/branches/${brB.id}/nearby-prospects?radiusKm=5`)
    expect(res.statusCode).toBe(200)
    const body = res.json()
    const usccs = body.items.map((i: { uscc: string }) => i.uscc)
    expect(new Set(usccs)).toEqual(new Set(prospects.map((p) => p!.uscc)))
    expect(usccs).not.toContain(customer!.uscc)
    expect(usccs).not.toContain(outside!.uscc)
    const scores = body.items.map((i: { score: number }) => i.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
    const pd = (await t.services.models.score('marketing-response', { uscc: body.items[0].uscc })).pd
    expect(body.items[0].score).toBeCloseTo(pd, 5)
    expect(body.items.every((i: { distanceKm: number }) => i.distanceKm <= 5)).toBe(true)
    expect((await as(hq, 'GET', `/v1/branches/${brB.id}/nearby-prospects?radiusKm=11`)).statusCode).toBe(400)
    expect((await as(hq, 'GET', `/v1/branches/${brB.id}/nearby-prospects?radiusKm=0.5`)).statusCode).toBe(400)
    expect((await as(hq, 'GET', '/v1/branches/NO-SUCH/nearby-prospects')).statusCode).toBe(404)
  })
})
