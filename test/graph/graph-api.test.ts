import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise } from '../helpers/factories.js'
import type { EnterpriseRow } from '../../src/enterprises/enterprises.types.js'

let t: TestApp
let risk: Record<string, string>
let a: EnterpriseRow, b: EnterpriseRow, c: EnterpriseRow, bad: EnterpriseRow, near: EnterpriseRow, far: EnterpriseRow, cust: EnterpriseRow
const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: t.admin, payload: payload as object })
const features = async (uscc: string) => (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${uscc}/features`, headers: risk })).json()

beforeAll(async () => {
  t = await createTestApp()
  risk = await t.headersFor('risk')
  const br = branch()
  await post('/v1/branches/batch', { branches: [br] })
  await post('/v1/persons/batch', { persons: [{ id: 'G-P1', nameMasked: '钱*', birthYear: 1970 }] })
  ;[a, b, c, far] = [enterprise(), enterprise(), enterprise(), enterprise()]
  bad = enterprise({ blacklisted: true })
  near = enterprise()
  cust = enterprise({ customerBranchId: br.id })
  await post('/v1/enterprises/batch', { enterprises: [a, b, c, bad, near, far, cust] })
  await post('/v1/relations/batch', {
    relations: [
      { type: 'GUARANTEE', fromType: 'enterprise', fromId: a.uscc, toType: 'enterprise', toId: b.uscc, amount: 1e6 },
      { type: 'GUARANTEE', fromType: 'enterprise', fromId: b.uscc, toType: 'enterprise', toId: c.uscc, amount: 1e6 },
      { type: 'GUARANTEE', fromType: 'enterprise', fromId: c.uscc, toType: 'enterprise', toId: a.uscc, amount: 1e6 },
      // near ← person → bad: the blacklisted firm is 2 hops from `near`
      { type: 'LEGAL_REP', fromType: 'person', fromId: 'G-P1', toType: 'enterprise', toId: bad.uscc },
      { type: 'EXECUTIVE', fromType: 'person', fromId: 'G-P1', toType: 'enterprise', toId: near.uscc },
      { type: 'SUPPLIER', fromType: 'enterprise', fromId: near.uscc, toType: 'enterprise', toId: cust.uscc },
    ],
  })
  await t.services.graphSettled()
})
afterAll(() => t.close())

describe('graph recompute and features', () => {
  it('computes guarantee circles and 2-hop blacklist exposure into feature rows under a snapshot', async () => {
    expect((await features(a.uscc)).values.blacklistWithin2Hops).toBeNull() // before the first run: unknown
    const res = await t.app.inject({ method: 'POST', url: '/v1/graph/recompute?wait=true', headers: t.admin })
    expect(res.statusCode).toBe(200)
    const snap = res.json()
    expect(snap.enterprises).toBe(7)
    const fa = await features(a.uscc)
    expect(fa.snapshotId).toBe(snap.snapshotId)
    expect(fa.values).toMatchObject({ inGuaranteeCircle: true, degreeGuarantee: 2, blacklistWithin2Hops: 0 })
    expect((await features(near.uscc)).values).toMatchObject({ blacklistWithin2Hops: 1, inGuaranteeCircle: false })
    expect((await features(far.uscc)).values).toMatchObject({ blacklistWithin2Hops: 0, inGuaranteeCircle: false, degreeGuarantee: 0 })
  })

  it('updates the affected neighbourhood incrementally after an ingest', async () => {
    await post('/v1/relations/batch', { relations: [{ type: 'SHAREHOLDER', fromType: 'enterprise', fromId: far.uscc, toType: 'enterprise', toId: near.uscc, ratio: 0.5 }] })
    await t.services.graphSettled()
    expect((await features(far.uscc)).values).toMatchObject({ degreeShareholder: 1 })
    await post('/v1/relations/batch', { relations: [{ type: 'INVESTMENT', fromType: 'enterprise', fromId: bad.uscc, toType: 'enterprise', toId: far.uscc, ratio: 0.2 }] })
    await t.services.graphSettled()
    expect((await features(far.uscc)).values.blacklistWithin1Hop).toBe(1)
  })

  it('answers 409 to a second recompute while one runs', async () => {
    const first = t.services.graph.recompute()
    const second = await t.app.inject({ method: 'POST', url: '/v1/graph/recompute', headers: t.admin })
    expect(second.statusCode).toBe(409)
    expect(problemOf(second).code).toBe('recompute_running')
    expect((await first).enterprises).toBe(7)
  })
})

describe('graph views', () => {
  it('returns the neighbourhood and paths to existing customers', async () => {
    const view = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${near.uscc}/graph?depth=2`, headers: risk })).json()
    expect(view.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining([near.uscc, 'G-P1', bad.uscc, cust.uscc]))
    expect(view.truncated).toBe(false)
    const onlyGuarantees = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${a.uscc}/graph?depth=1&types=GUARANTEE`, headers: risk })).json()
    expect(onlyGuarantees.edges.every((e: { type: string }) => e.type === 'GUARANTEE')).toBe(true)
    const paths = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${bad.uscc}/paths?to=customers&maxHops=3`, headers: risk })).json()
    // Two 3-hop routes reach the one customer (via the shared person, or via `far`); one path per customer.
    expect(paths.paths).toHaveLength(1)
    const [path] = paths.paths
    expect(path.nodes[0]).toEqual({ type: 'enterprise', id: bad.uscc })
    expect(path.nodes.at(-1)).toEqual({ type: 'enterprise', id: cust.uscc })
    expect(path.edgeTypes).toHaveLength(3)
    expect(path.edgeTypes.at(-1)).toBe('SUPPLIER')
    expect([['LEGAL_REP', 'EXECUTIVE', 'SUPPLIER'], ['INVESTMENT', 'SHAREHOLDER', 'SUPPLIER']]).toContainEqual(path.edgeTypes)
  })

  it('refuses out-of-range depth and hops, unknown types, and unknown enterprises', async () => {
    for (const url of [`/v1/enterprises/${a.uscc}/graph?depth=4`, `/v1/enterprises/${a.uscc}/graph?depth=0`, `/v1/enterprises/${a.uscc}/paths?maxHops=9`, `/v1/enterprises/${a.uscc}/graph?types=FRIEND`, `/v1/enterprises/${a.uscc}/paths?to=prospects`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: risk })
      expect(res.statusCode, url).toBe(400)
      problemOf(res)
    }
    const unknown = await t.app.inject({ method: 'GET', url: `/v1/enterprises/${enterprise().uscc}/graph`, headers: risk })
    expect(problemOf(unknown).status).toBe(404)
  })
})
