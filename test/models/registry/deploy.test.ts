import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemOf, type TestApp } from '../../helpers/app.js'
import { buildEnsembleOnnx, fixtureManifest, randomTree, sha256 } from '../fixtures.js'
import { seededRandom } from '../../../training/lib/split.js'
import { MODEL, deploy, manifestAs, model, partsOf, registryApp, type TrainedModel } from './helpers.js'

let t: TestApp
let m: TrainedModel
let modelKey: Record<string, string>

beforeAll(async () => {
  m = await model()
  t = await registryApp(m)
  modelKey = await t.headersFor('model')
})
afterAll(() => t.close())

/** What serves and what is stored must not change after a refused deploy. */
async function snapshot() {
  const detail = (await t.app.inject({ method: 'GET', url: `/v1/models/${MODEL}`, headers: modelKey })).json()
  return { active: t.services.models.activeVersions(), versions: detail.versions.map((v: { version: string; role: string }) => `${v.version}:${v.role}`) }
}

describe('POST /v1/models/{name}/versions', () => {
  it('serves the shipped version as champion from boot', () => {
    expect(t.services.models.activeVersions()).toEqual({ [MODEL]: { champion: '1.0.0', shadows: [] } })
  })

  it('stores a version that passes every contract check as staged; a second upload of it is 409', async () => {
    const res = await deploy(t, modelKey, partsOf(m, manifestAs(m, '1.1.0')))
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ name: MODEL, version: '1.1.0', role: 'staged', sha256: m.manifest.artifact.sha256, checks: { goldenRows: m.reference.rows.length } })
    const detail = (await t.app.inject({ method: 'GET', url: `/v1/models/${MODEL}`, headers: await t.headersFor('hq') })).json()
    expect(detail.versions.map((v: { version: string; role: string }) => [v.version, v.role])).toEqual(expect.arrayContaining([['1.1.0', 'staged'], ['1.0.0', 'champion']]))
    expect(detail.versions.find((v: { version: string }) => v.version === '1.0.0').metrics).toMatchObject({ test: { auc: expect.any(Number) } })
    expect(t.services.models.activeVersions()[MODEL]!.champion).toBe('1.0.0')
    const again = await deploy(t, modelKey, partsOf(m, manifestAs(m, '1.1.0')))
    expect(again.statusCode).toBe(409)
    expect(problemOf(again).code).toBe('version_exists')
  })

  it('refuses bytes that are not ONNX, and a truncated model, with located reasons', async () => {
    const before = await snapshot()
    const junk = new TextEncoder().encode('this is not an onnx model at all')
    const r1 = await deploy(t, modelKey, { ...partsOf(m, manifestAs(m, '2.0.0')), model: junk })
    expect(r1.statusCode).toBe(422)
    const p1 = problemOf(r1)
    expect(p1.code).toBe('model_rejected')
    expect(p1.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ check: 'load', pointer: 'model.onnx', message: expect.stringMatching(/not a readable ONNX model/) }),
      expect.objectContaining({ check: 'sha256', pointer: 'manifest.json#/artifact/sha256' }),
    ]))
    const cut = m.onnx.subarray(0, Math.floor(m.onnx.length * 0.6))
    const r2 = await deploy(t, modelKey, { ...partsOf(m, manifestAs(m, '2.0.1', (x) => { x.artifact.sha256 = sha256(cut) })), model: cut })
    expect(r2.statusCode).toBe(422)
    expect(problemOf(r2).errors).toEqual([expect.objectContaining({ check: 'load', pointer: 'model.onnx', message: expect.stringMatching(/truncated|runs past the end/) })])
    expect(await snapshot()).toEqual(before)
  })

  it('refuses a ZipMap output, a width mismatch and a NaN-producing model, each located', async () => {
    const before = await snapshot()
    const FX = ['lateFilings24m', 'entAgeMonths', 'lawsuits12m']
    const zipmap = buildEnsembleOnnx({ op: 'classifier', zipmap: true, nFeatures: FX.length, trees: [randomTree(seededRandom(1), FX.length, 3, ['BRANCH_LEQ'], [0, 1, 2])] })
    const zm = { ...fixtureManifest(zipmap, FX, { outputs: { pd: 'output_probability' } }), name: MODEL, version: '3.0.0' }
    const r1 = await deploy(t, modelKey, { model: zipmap, manifest: JSON.stringify(zm), reference: JSON.stringify({ rows: [{ features: [0, 1, 2], outputs: { pd: [0.5] } }] }) })
    expect(r1.statusCode).toBe(422)
    expect(problemOf(r1).errors).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'output-types', pointer: 'model.onnx#/graph/output/1', message: expect.stringMatching(/zipmap/i) })]))

    const wider = manifestAs(m, '3.0.1', (x) => { x.features = [...x.features, 'employees'] })
    const r2 = await deploy(t, modelKey, partsOf(m, wider))
    expect(r2.statusCode).toBe(422)
    expect(problemOf(r2).errors).toEqual([expect.objectContaining({ check: 'input', pointer: 'manifest.json#/features', message: expect.stringMatching(/manifest lists 10 features/) })])

    const leaf = (weight: number) => ({ feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, missingTrue: 0, cover: 10, weight })
    const nanModel = buildEnsembleOnnx({ op: 'regressor', nFeatures: FX.length, trees: [[{ feature: 0, mode: 'BRANCH_LT', value: 1, t: 1, f: 2, missingTrue: 1, cover: 20, weight: 0 }, leaf(0.5), leaf(Number.NaN)]] })
    const nm = { ...fixtureManifest(nanModel, FX), name: MODEL, version: '3.0.2' }
    const r3 = await deploy(t, modelKey, { model: nanModel, manifest: JSON.stringify(nm), reference: JSON.stringify({ rows: [{ features: [0, 1, 2], outputs: { pd: [1 / (1 + Math.exp(-0.5))], margin: [0.5] } }] }) })
    expect(r3.statusCode).toBe(422)
    expect(problemOf(r3).errors).toEqual(expect.arrayContaining([expect.objectContaining({ check: 'finite', message: expect.stringMatching(/non-finite output/) })]))
    expect(await snapshot()).toEqual(before)
  })

  it('lists every failure at once: manifest fields, sha256, catalogue, name and invalid reference JSON', async () => {
    const bad = manifestAs(m, '4.0.0', (x) => { x.name = 'other-model'; x.artifact.sha256 = '0'.repeat(64); delete x.grades; x.features[8] = 'notAFeature' })
    const res = await deploy(t, modelKey, { ...partsOf(m, bad), reference: '{not json' })
    expect(res.statusCode).toBe(422)
    const errors = problemOf(res).errors!
    for (const check of ['json', 'manifest', 'sha256', 'catalogue', 'name', 'golden']) expect(errors.map((e) => e.code), check).toContain(check)
    for (const e of errors) { expect(e.pointer).toMatch(/^(manifest|reference)\.json|model\.onnx/); expect(e.message.length).toBeGreaterThan(5) }
    const missing = await deploy(t, modelKey, { model: m.onnx })
    expect(missing.statusCode).toBe(422)
    expect(problemOf(missing).errors!.map((e) => e.pointer)).toContain('manifest.json')
  })

  it('refuses a 200 MB upload by its stated size limit (413) without storing anything', async () => {
    const before = await snapshot()
    const huge = new Uint8Array(200 * 1024 * 1024)
    const res = await deploy(t, modelKey, { ...partsOf(m, manifestAs(m, '5.0.0')), model: huge })
    expect(res.statusCode).toBe(413)
    expect(problemOf(res).status).toBe(413)
    expect(await snapshot()).toEqual(before)
  })

  it('answers 400 to a JSON body and to unknown parts, and only the model role deploys', async () => {
    const json = await t.app.inject({ method: 'POST', url: `/v1/models/${MODEL}/versions`, headers: modelKey, payload: { model: 'x' } })
    expect([400, 415]).toContain(json.statusCode)
    const odd = await deploy(t, modelKey, { model: m.onnx, manifest: JSON.stringify(manifestAs(m, '6.0.0')), extra: 'x' })
    expect(odd.statusCode).toBe(400)
    expect(problemOf(odd).errors).toEqual([expect.objectContaining({ pointer: '/extra' })])
    const tooMany = await deploy(t, modelKey, { ...partsOf(m, manifestAs(m, '6.0.0')), extra: 'x' })
    expect(tooMany.statusCode).toBe(413)
    const risk = await deploy(t, await t.headersFor('risk'), partsOf(m, manifestAs(m, '6.0.1')))
    expect(risk.statusCode).toBe(403)
  })
})
