import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestApp } from '../../helpers/app.js'
import { TRAINED_FEATURES, generateSmeRows } from '../fixtures.js'
import { MODEL, model, registryApp, type TrainedModel } from './helpers.js'

let t: TestApp
let m: TrainedModel
let risk: Record<string, string>

/** n feature records drawn like the training sample (another seed), optionally shifted. */
function population(n: number, seed: number, shift?: (r: Record<string, number | null>) => void): Array<{ features: Record<string, number | null> }> {
  const { X } = generateSmeRows(n, seed)
  const F = TRAINED_FEATURES.length
  return Array.from({ length: n }, (_, i) => {
    const r: Record<string, number | null> = Object.fromEntries(TRAINED_FEATURES.map((f, j) => [f, Number.isNaN(X[i * F + j]!) ? null : X[i * F + j]!]))
    shift?.(r)
    return { features: r }
  })
}

async function scoreAll(rows: object[]): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/score/batch`, headers: risk, payload: { rows } })
  expect(res.statusCode, res.body).toBe(200)
  await t.services.models.flushScoreLog()
}

const monitoring = async (window: number) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/models/${MODEL}/monitoring?window=${window}`, headers: risk })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

beforeAll(async () => {
  m = await model()
  t = await registryApp(m)
  risk = await t.headersFor('risk')
})
afterAll(() => t.close())

describe('GET /v1/models/{name}/monitoring', () => {
  it('finds no shift on a population drawn like the development sample', async () => {
    await scoreAll(population(3000, 101))
    const body = await monitoring(3000)
    const v = body.versions[0]
    expect(v).toMatchObject({ version: '1.0.0', role: 'champion', count: 3000 })
    expect(v.psi.basis).toBe('score')
    expect(v.psi.value).toBeLessThan(0.05)
    expect(v.psi.band).toBe('stable')
    expect(v.psi.bins.reduce((s: number, b: { actual: number }) => s + b.actual, 0)).toBeCloseTo(1, 4)
    expect(v.csi.length).toBeGreaterThan(5)
    for (const c of v.csi) expect(c.value, c.feature).toBeLessThan(0.05)
    const tax = v.missing.find((x: { source: string }) => x.source === '税务')
    expect(tax.valuesMissing).toBeCloseTo(tax.baselineValuesMissing, 1)
    expect(body.volumes).toEqual([expect.objectContaining({ version: '1.0.0', role: 'champion', count: 3000 })])
  })

  it('flags a shifted population as a major shift, with the shifted features first, and exports the gauge', async () => {
    await scoreAll(population(3000, 102, (r) => { r.taxArrears = 1; r.zeroFilingMonths12m = 12; r['taxCreditGrade=A'] = 0; r['taxCreditGrade=D'] = 1 }))
    const v = (await monitoring(3000)).versions[0]
    expect(v.psi.value).toBeGreaterThan(0.25)
    expect(v.psi.band).toBe('major')
    // taxArrears is shifted too, but training's quantile baseline of a 10%-ones flag has no edge: one bin, CSI 0
    expect(v.csi.slice(0, 3).map((c: { feature: string }) => c.feature).sort()).toEqual(['taxCreditGrade=A', 'taxCreditGrade=D', 'zeroFilingMonths12m'])
    for (const c of v.csi.slice(3)) expect(c.band, c.feature).toBe('stable')
    expect(v.csi[0].band).toBe('major')
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
    const line = metrics.split('\n').find((l) => l.startsWith(`model_score_psi{name="${MODEL}",version="1.0.0"}`))
    expect(line).toBeDefined()
    expect(Number(line!.split(' ').at(-1))).toBeGreaterThan(0.1)
  })

  it('answers 404 for an unknown model and 400 for a bad window', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/models/nope/monitoring', headers: risk })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: `/v1/models/${MODEL}/monitoring?window=0`, headers: risk })).statusCode).toBe(400)
  })
})
