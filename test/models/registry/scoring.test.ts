import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_BATCH_ROWS } from '../../../src/models/models.schemas.js'
import { problemOf, type TestApp } from '../../helpers/app.js'
import { enterprise, nextUscc } from '../../helpers/factories.js'
import { MODEL, deploy, goldenFeatures, manifestAs, model, partsOf, registryApp, type TrainedModel } from './helpers.js'

let t: TestApp
let m: TrainedModel
let origination: Record<string, string>
const score = (payload: object, headers = origination) => t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/score`, headers, payload })
const batch = (payload: object) => t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/score/batch`, headers: origination, payload })
const cents = (v: number) => Math.round(v * 100)

beforeAll(async () => {
  m = await model()
  t = await registryApp(m)
  origination = await t.headersFor('origination')
})
afterAll(() => t.close())

describe('POST /v1/models/{name}/score', () => {
  it('answers PD, score and grade with points that add up to the score and at most four reasons', async () => {
    for (let i = 0; i < m.reference.rows.length; i++) {
      const res = await score({ features: goldenFeatures(m, i) })
      expect(res.statusCode, res.body).toBe(200)
      const s = res.json()
      expect(s).toMatchObject({ name: MODEL, version: '1.0.0', role: 'champion', grade: expect.any(String) })
      expect(s.pd).toBeCloseTo(m.reference.rows[i]!.outputs.pd[0]!, 5)
      expect(s.margin).toBeCloseTo(m.reference.rows[i]!.outputs.margin[0]!, 4)
      expect(s.contributions.map((c: { feature: string }) => c.feature)).toEqual(m.manifest.features)
      const sum = s.contributions.reduce((acc: number, c: { points: number }) => acc + cents(c.points), cents(s.basePoints))
      expect(sum).toBe(cents(s.score))
      expect(s.score).toBeCloseTo(m.manifest.scorecard.offset - m.manifest.scorecard.factor * s.margin, 1)
      expect(s.reasons.length).toBeLessThanOrEqual(4)
      for (const r of s.reasons) expect(r).toEqual({ code: expect.any(String), zh: expect.any(String), en: expect.any(String), points: expect.any(Number) })
      for (const r of s.reasons) expect(r.points).toBeLessThan(0)
    }
  })

  it('reads an enterprise\'s features from the feature store when given its USCC', async () => {
    const e = enterprise({ establishedOn: '2012-03-01', registeredCapital: 20_000_000 })
    await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [e] } })
    const res = await score({ uscc: e.uscc })
    expect(res.statusCode, res.body).toBe(200)
    const s = res.json()
    const byFeature = Object.fromEntries(s.contributions.map((c: { feature: string; value: number | null }) => [c.feature, c.value]))
    expect(byFeature.registeredCapitalLog).toBeCloseTo(Math.log(20_000_000), 4)
    expect(byFeature.entAgeMonths).toBeGreaterThan(100)
    const unknown = await score({ uscc: nextUscc() })
    expect(unknown.statusCode).toBe(404)
  })

  it('needs exactly one of uscc or features, refuses unknown fields and text for a numeric feature', async () => {
    expect((await score({})).statusCode).toBe(400)
    expect((await score({ uscc: nextUscc(), features: {} })).statusCode).toBe(400)
    expect((await score({ features: {}, extra: 1 })).statusCode).toBe(400)
    const text = await score({ features: { taxArrears: 'many' } })
    expect(text.statusCode).toBe(422)
    expect(problemOf(text).errors![0]!.pointer).toBe('/features/taxArrears')
    expect((await score({ features: {} }, await t.headersFor('hq'))).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'POST', url: '/v1/models/nope/score', headers: origination, payload: { features: {} } })).statusCode).toBe(404)
  })

  it('replays a stored version that is not serving when asked for it, without logging it', async () => {
    expect((await deploy(t, await t.headersFor('model'), partsOf(m, manifestAs(m, '0.9.0')))).statusCode).toBe(201)
    const res = await score({ features: goldenFeatures(m, 0), version: '0.9.0' })
    expect(res.json()).toMatchObject({ version: '0.9.0', role: 'staged' })
    expect((await score({ features: goldenFeatures(m, 0), version: '0.0.1' })).statusCode).toBe(404)
  })
})

describe('POST /v1/models/{name}/score/batch', () => {
  it('scores rows in one run, the same as one by one, rejecting bad rows by index', async () => {
    const rows: object[] = m.reference.rows.map((_, i) => ({ features: goldenFeatures(m, i) }))
    rows.push({ uscc: nextUscc() }, { features: { taxArrears: 'x' } }, {})
    const res = await batch({ rows })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json()
    const n = m.reference.rows.length
    expect(body.items.map((i: { index: number }) => i.index)).toEqual([...Array(n).keys()])
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([n, n + 1, n + 2])
    expect(body.rejected[1].errors[0].pointer).toBe(`/rows/${n + 1}/features/taxArrears`)
    for (let i = 0; i < n; i++) {
      expect(body.items[i].pd).toBeCloseTo(m.reference.rows[i]!.outputs.pd[0]!, 5)
      expect(body.items[i].contributions).toEqual([])
    }
    const explained = (await batch({ rows: rows.slice(0, 3), explain: true })).json()
    const single = (await score({ features: goldenFeatures(m, 2) })).json()
    expect(explained.items[2]).toMatchObject({ score: single.score, basePoints: single.basePoints, contributions: single.contributions, reasons: single.reasons })
  })

  it('takes 10,000 rows and refuses 10,001 with 400', async () => {
    const row = { features: goldenFeatures(m, 0) }
    const ok = await batch({ rows: Array.from({ length: MAX_BATCH_ROWS }, () => row) })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().items).toHaveLength(MAX_BATCH_ROWS)
    const over = await batch({ rows: Array.from({ length: MAX_BATCH_ROWS + 1 }, () => row) })
    expect(over.statusCode).toBe(400)
    expect(problemOf(over).errors![0]!.pointer).toBe('/rows')
  })
})

describe('hot deploy and promotion under scoring load', () => {
  it('fails no request while versions are deployed and promoted', async () => {
    const modelKey = await t.headersFor('model')
    let stop = false
    const statuses: number[] = []
    const versions = new Set<string>()
    const load = async (k: number) => {
      for (let i = 0; !stop; i++) {
        const res = await score({ uscc: undefined, features: goldenFeatures(m, i + k) })
        statuses.push(res.statusCode)
        if (res.statusCode === 200) versions.add(res.json().version)
      }
    }
    const workers = Array.from({ length: 8 }, (_, k) => load(k))
    for (const v of ['3.0.0', '3.1.0', '3.2.0']) {
      expect((await deploy(t, modelKey, partsOf(m, manifestAs(m, v)))).statusCode).toBe(201)
      expect((await t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/versions/${v}/promote`, headers: modelKey, payload: { role: 'champion' } })).statusCode).toBe(200)
      await new Promise((r) => setTimeout(r, 100))
    }
    expect((await t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/rollback`, headers: modelKey })).statusCode).toBe(200)
    await new Promise((r) => setTimeout(r, 100))
    stop = true
    await Promise.all(workers)
    expect(statuses.length).toBeGreaterThan(50)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(versions.has('3.1.0')).toBe(true)
    expect(t.services.models.activeVersions()[MODEL]!.champion).toBe('3.1.0')
  })
})
