import { loggedByName } from '../../../src/models/score-log.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/app.js'
import { testConfig } from '../../../src/config.js'
import { createDatabase } from '../../../src/db/create-database.js'
import { isChallenger, routingBucket } from '../../../src/models/routing.js'
import { problemOf, type TestApp } from '../../helpers/app.js'
import { nextUscc } from '../../helpers/factories.js'
import { MODEL, goldenFeatures, model, registryApp, shippedDir, type TrainedModel } from './helpers.js'

let t: TestApp
let m: TrainedModel
let modelKey: Record<string, string>
const post = (url: string, payload?: object) => t.app.inject({ method: 'POST', url, headers: modelKey, ...(payload ? { payload } : {}) })
const promote = (version: string, body: object) => post(`/v1/models/${MODEL}/versions/${version}/promote`, body)

beforeAll(async () => {
  m = await model()
  t = await registryApp(m, ['1.0.0', '1.1.0', '1.2.0', '2.0.0'])
  modelKey = await t.headersFor('model')
})
afterAll(() => t.close())

describe('promotion, rollback and routing', () => {
  it('boots with the newest shipped version as champion and the others staged', async () => {
    expect(t.services.models.activeVersions()).toEqual({ [MODEL]: { champion: '2.0.0', shadows: [] } })
    const list = (await t.app.inject({ method: 'GET', url: '/v1/models', headers: await t.headersFor('risk') })).json()
    expect(list.items).toEqual([expect.objectContaining({ name: MODEL, champion: '2.0.0', challenger: null, shadows: [], versions: 4 })])
  })

  it('promotes to champion, rolls back to the previous champion, and answers 409 when there is none', async () => {
    const r = await promote('1.1.0', { role: 'champion' })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ champion: '1.1.0' })
    expect(t.services.models.activeVersions()[MODEL]!.champion).toBe('1.1.0')
    expect(problemOf(await promote('1.1.0', { role: 'champion' })).code).toBe('already_champion')
    expect(problemOf(await promote('1.1.0', { role: 'shadow' })).code).toBe('is_champion')
    const back = await post(`/v1/models/${MODEL}/rollback`)
    expect(back.statusCode).toBe(200)
    expect(back.json()).toMatchObject({ champion: '2.0.0' })
    expect(back.json().versions.find((v: { version: string }) => v.version === '1.1.0').role).toBe('retired')
    expect(t.services.models.activeVersions()[MODEL]!.champion).toBe('2.0.0')
    const none = await post(`/v1/models/${MODEL}/rollback`)
    expect(none.statusCode).toBe(409)
    expect(problemOf(none).code).toBe('no_previous_champion')
    expect((await promote('9.9.9', { role: 'champion' })).statusCode).toBe(404)
    expect((await post('/v1/models/no-such-model/rollback')).statusCode).toBe(404)
  })

  it('requires 0 < traffic < 1 for a challenger and refuses traffic for other roles', async () => {
    for (const body of [{ role: 'challenger' }, { role: 'challenger', traffic: 0 }, { role: 'challenger', traffic: 1 }, { role: 'shadow', traffic: 0.5 }, { role: 'staged' }]) {
      expect((await promote('1.2.0', body)).statusCode, JSON.stringify(body)).toBe(400)
    }
  })

  it('splits champion/challenger deterministically by USCC hash, close to the traffic share', async () => {
    expect((await promote('1.2.0', { role: 'challenger', traffic: 0.2 })).statusCode).toBe(200)
    expect(t.services.models.activeVersions()[MODEL]).toEqual({ champion: '2.0.0', challenger: { version: '1.2.0', traffic: 0.2 }, shadows: [] })
    const usccs = Array.from({ length: 5000 }, () => nextUscc())
    const routes = usccs.map((u) => t.services.models.route(MODEL, u))
    const share = routes.filter((r) => r.role === 'challenger').length / usccs.length
    expect(share).toBeGreaterThan(0.17)
    expect(share).toBeLessThan(0.23)
    usccs.forEach((u, i) => {
      expect(t.services.models.route(MODEL, u)).toEqual(routes[i])
      expect(routes[i]!.version).toBe(isChallenger(u, 0.2) ? '1.2.0' : '2.0.0')
    })
    expect(routingBucket('91350100M000100Y43')).toBe(routingBucket('91350100M000100Y43'))
    // a challenger-routed enterprise is scored by the challenger
    const u = usccs.find((x) => isChallenger(x, 0.2))!
    const scored = await t.services.models.score(MODEL, { uscc: u, features: goldenFeatures(m, 0) })
    expect(scored).toMatchObject({ version: '1.2.0', role: 'challenger' })
  })

  it('scores shadows off the response path and stores their scores; a failing shadow is left out', async () => {
    expect((await promote('1.1.0', { role: 'shadow' })).statusCode).toBe(200)
    expect(t.services.models.activeVersions()[MODEL]!.shadows).toEqual(['1.1.0'])
    const uscc = nextUscc()
    const shadows = await t.services.models.scoreShadows(MODEL, uscc, goldenFeatures(m, 1))
    expect(shadows).toEqual([{ name: MODEL, version: '1.1.0', pd: expect.any(Number), score: expect.any(Number) }])
    expect(shadows[0]!.pd).toBeCloseTo(m.reference.rows[1]!.outputs.pd[0]!, 5)
    const rows = await t.database.db.selectFrom('model_score_log').selectAll().where('uscc', '=', uscc).execute()
    expect(rows).toEqual([expect.objectContaining({ name: MODEL, version: '1.1.0', role: 'shadow', pd: shadows[0]!.pd, score: shadows[0]!.score })])
    // The inputs are logged as a vector in the manifest's feature order, shown as the decimals they were given as.
    const given = goldenFeatures(m, 1)
    expect(rows[0]!.features).toHaveLength(m.manifest.features.length)
    expect(loggedByName(m.manifest.features, rows[0]!.features!)).toEqual(Object.fromEntries(m.manifest.features.map((f) => [f, typeof given[f] === 'number' ? Number(Math.fround(given[f] as number).toPrecision(7)) : expect.anything()])))
    expect(await t.services.models.scoreShadows(MODEL, uscc, { taxArrears: 'not a number' })).toEqual([])
    expect(await t.services.models.scoreShadows('no-such-model', uscc, {})).toEqual([])
  })

  it('a second node picks up a promotion by itself (LISTEN/NOTIFY on PostgreSQL, polling on PGlite)', async () => {
    const handle2 = t.database.url ? await createDatabase({ databaseUrl: t.database.url }) : t.database
    const node2 = await buildApp(testConfig({ modelsDir: shippedDir(m, []) }), handle2)
    try {
      expect(node2.services.models.activeVersions()[MODEL]!.champion).toBe('2.0.0')
      expect((await promote('1.0.0', { role: 'champion' })).statusCode).toBe(200)
      const deadline = Date.now() + 10_000
      while (node2.services.models.activeVersions()[MODEL]?.champion !== '1.0.0' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(node2.services.models.activeVersions()[MODEL]).toEqual({ champion: '1.0.0', challenger: { version: '1.2.0', traffic: 0.2 }, shadows: ['1.1.0'] })
      const s = await node2.services.models.score(MODEL, { features: goldenFeatures(m, 2) })
      expect(s.version).toBe('1.0.0')
    } finally {
      await node2.app.close()
      if (t.database.url) await handle2.db.destroy()
    }
  })

  it('records every change in the audit log', async () => {
    const actions = (await t.database.db.selectFrom('audit_log').select(['action', 'target']).where('target', 'like', `model:${MODEL}@%`).execute()).map((r) => r.action)
    for (const a of ['model.seed', 'model.promote', 'model.rollback']) expect(actions).toContain(a)
  })
})
