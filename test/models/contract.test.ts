import { beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../training/lib/split.js'
import { checkModel, type ContractResult } from '../../src/models/contract.js'
import { readOnnxModel } from '../../src/models/onnx-reader.js'
import { extractTreeEnsemble, predictMargin } from '../../src/models/tree-ensemble.js'
import {
  buildEnsembleOnnx, fixtureManifest, fixtureRows, randomTree, sha256, trainSmallModel, type EnsembleSpec, type FixtureTree, type TrainedModel,
} from './fixtures.js'

const FX = ['lateFilings24m', 'entAgeMonths', 'lawsuits12m', 'taxArrears', 'employees']
const GRID = [-2, -1, 0, 0.5, 1, 3, 6]

const checks = (r: ContractResult) => r.failures.map((f) => f.check)
const find = (r: ContractResult, check: string) => r.failures.find((f) => f.check === check)

/** A fixture model plus its manifest and a reference computed by our own tree walk. */
function fixture(spec: Omit<EnsembleSpec, 'nFeatures' | 'op'> & { op?: EnsembleSpec['op'] }, extra: Parameters<typeof fixtureManifest>[2] = {}) {
  const onnx = buildEnsembleOnnx({ op: 'regressor', nFeatures: FX.length, ...spec })
  const e = extractTreeEnsemble(readOnnxModel(onnx))
  const rows = fixtureRows(seededRandom(4), 12, FX.length, GRID)
  const reference = {
    rows: rows.map((r) => {
      const z = predictMargin(e, r)
      return { features: r.map((v) => (Number.isNaN(v) ? null : v)), outputs: { pd: [spec.pdIdentity ? z : 1 / (1 + Math.exp(-z))], margin: [z] } }
    }),
  }
  return { onnx, manifest: fixtureManifest(onnx, [...FX], extra), reference }
}

const leaf = (weight: number, cover = 10): FixtureTree[number] => ({ feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, missingTrue: 0, cover, weight })
/** x0 < 1 → a, else b; NaN follows true. */
const stump = (a: number, b: number): FixtureTree => [
  { feature: 0, mode: 'BRANCH_LT', value: 1, t: 1, f: 2, missingTrue: 1, cover: 20, weight: 0 }, leaf(a), leaf(b),
]

describe('checkModel on a model trained by the pipeline', () => {
  let model: TrainedModel
  beforeAll(async () => { model = await trainSmallModel() })

  it('accepts the artifacts as trained, reporting what it checked', async () => {
    const r = await checkModel({ onnxBytes: model.onnx, manifest: model.manifest, reference: model.reference })
    expect(r.failures).toEqual([])
    expect(r.ok).toBe(true)
    expect(r.info.goldenRows).toBe(model.reference.rows.length)
    expect(r.info.sweepRows).toBeGreaterThan(1000)
    expect(r.info.ensemble).toMatchObject({ op: 'TreeEnsembleRegressor', trees: 40, modes: expect.arrayContaining(['BRANCH_LT', 'LEAF']), hasCovers: true })
    expect(r.info.outputs).toEqual([{ name: 'margin', type: 'tensor(float)[N,1]' }, { name: 'pd', type: 'tensor(float)[N,1]' }])
    expect(r.info.metadata?.['credit_engine.name']).toBe('test-sme')
  })

  it('refuses bytes that are not ONNX, with a message instead of a crash', async () => {
    for (const bytes of [new TextEncoder().encode('{"not": "a model"}'), Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff), new Uint8Array(0)]) {
      const r = await checkModel({ onnxBytes: bytes, manifest: model.manifest, reference: model.reference })
      expect(r.ok).toBe(false)
      expect(find(r, 'load')).toMatchObject({ pointer: 'model.onnx', message: expect.stringMatching(/not a readable ONNX model/) })
      expect(find(r, 'sha256')?.pointer).toBe('manifest.json#/artifact/sha256')
    }
  })

  it('refuses a truncated file', async () => {
    const cut = model.onnx.subarray(0, Math.floor(model.onnx.length * 0.6))
    const r = await checkModel({ onnxBytes: cut, manifest: { ...model.manifest, artifact: { sha256: sha256(cut) } }, reference: model.reference })
    expect(checks(r)).toEqual(['load'])
    expect(r.failures[0]!.message).toMatch(/truncated|runs past the end/)
  })

  it('locates golden rows that do not reproduce', async () => {
    const reference = structuredClone(model.reference)
    reference.rows[2]!.outputs.pd[0]! += 0.01
    reference.rows[5]!.outputs.margin[0]! -= 0.001
    const r = await checkModel({ onnxBytes: model.onnx, manifest: model.manifest, reference })
    expect(r.failures.filter((f) => f.check === 'golden').map((f) => f.pointer)).toEqual(['reference.json#/rows/2/outputs/pd', 'reference.json#/rows/5/outputs/margin'])
  })

  it('locates a feature outside the catalogue, a width mismatch, a sha mismatch and missing fields, all at once', async () => {
    const manifest = structuredClone(model.manifest) as Record<string, any>
    manifest.features[8] = 'requestedAmountTypo'
    delete manifest.monotone.directions.requestedAmount
    manifest.artifact.sha256 = '0'.repeat(64)
    delete manifest.scorecard.factor
    delete manifest.grades
    delete manifest.outputs.pd
    const r = await checkModel({ onnxBytes: model.onnx, manifest, reference: model.reference })
    expect(r.failures).toEqual(expect.arrayContaining([
      { check: 'manifest', pointer: 'manifest.json#/outputs/pd', message: 'manifest/outputs/pd: required' },
      { check: 'manifest', pointer: 'manifest.json#/scorecard/factor', message: 'manifest/scorecard/factor: required' },
      { check: 'manifest', pointer: 'manifest.json#/grades', message: 'manifest/grades: required' },
      expect.objectContaining({ check: 'sha256', pointer: 'manifest.json#/artifact/sha256' }),
      expect.objectContaining({ check: 'catalogue', pointer: 'manifest.json#/features/8', message: expect.stringContaining('requestedAmountTypo') }),
    ]))
    const wider = { ...model.manifest, features: [...model.manifest.features, 'employees'] }
    const w = await checkModel({ onnxBytes: model.onnx, manifest: wider, reference: model.reference })
    expect(find(w, 'input')).toMatchObject({ pointer: 'manifest.json#/features', message: expect.stringMatching(/\[N,9\] but the manifest lists 10 features/) })
    // rows of the wrong width cannot be scored, so the run-based checks are skipped rather than reported as noise
    expect(checks(w)).toEqual(['input'])
  })

  it('rejects a catalogue category used as a plain column and an unknown one-hot level', async () => {
    const manifest = structuredClone(model.manifest)
    manifest.features[6] = 'taxCreditGrade'
    manifest.features[7] = 'taxCreditGrade=Z'
    const r = await checkModel({ onnxBytes: model.onnx, manifest, reference: model.reference })
    expect(r.failures.filter((f) => f.check === 'catalogue').map((f) => f.pointer)).toEqual(['manifest.json#/features/6', 'manifest.json#/features/7'])
    const generic = await checkModel({ onnxBytes: model.onnx, manifest: { ...manifest, kind: 'generic' }, reference: model.reference })
    expect(checks(generic)).not.toContain('catalogue')
  })

  it('requires golden rows unless told otherwise', async () => {
    const r = await checkModel({ onnxBytes: model.onnx, manifest: model.manifest })
    expect(r.failures).toEqual([expect.objectContaining({ check: 'golden', pointer: 'reference.json' })])
  })
})

describe('checkModel on hand-built models', () => {
  it('accepts a correct fixture (sanity for the cases below)', async () => {
    const f = fixture({ trees: [stump(-1, 1)] }, { monotone: { directions: { lateFilings24m: 1 } } })
    const r = await checkModel({ onnxBytes: f.onnx, manifest: f.manifest, reference: f.reference })
    expect(r.failures).toEqual([])
  })

  it('refuses a ZipMap seq(map) output and says to disable zipmap', async () => {
    const trees = [randomTree(seededRandom(1), FX.length, 3, ['BRANCH_LEQ'], GRID)]
    const f = fixture({ trees, op: 'classifier', zipmap: true }, { outputs: { pd: 'output_probability' } })
    const r = await checkModel({ onnxBytes: f.onnx, manifest: f.manifest, reference: f.reference })
    expect(find(r, 'output-types')).toMatchObject({ pointer: 'model.onnx#/graph/output/1', message: expect.stringMatching(/seq\(map\(int64.*zipmap': False/) })
  })

  it('finds NaN outputs and PDs outside (0, 1)', async () => {
    const nan = fixture({ trees: [stump(0.5, Number.NaN)] })
    const r1 = await checkModel({ onnxBytes: nan.onnx, manifest: nan.manifest, reference: nan.reference })
    expect(find(r1, 'finite')?.message).toMatch(/non-finite output/)
    const saturated = fixture({ trees: [stump(-1, 60)] })
    const r2 = await checkModel({ onnxBytes: saturated.onnx, manifest: saturated.manifest, reference: saturated.reference })
    expect(find(r2, 'pd-range')?.message).toMatch(/outside \(0, 1\).*pd 1$/)
    const identity = fixture({ trees: [stump(-0.5, 2)], pdIdentity: true })
    const r3 = await checkModel({ onnxBytes: identity.onnx, manifest: identity.manifest, reference: identity.reference })
    const pointers = r3.failures.filter((f) => f.check === 'pd-range').map((f) => f.pointer)
    expect(pointers[0]).toMatch(/^reference\.json#\/rows\/\d+$/)
    expect(pointers).toContain('manifest.json#/features/0')
  })

  it('finds a monotone violation and locates the declared direction', async () => {
    const f = fixture({ trees: [stump(1, -1)] }, { monotone: { directions: { lateFilings24m: 1, entAgeMonths: -1 } } })
    const r = await checkModel({ onnxBytes: f.onnx, manifest: f.manifest, reference: f.reference })
    expect(r.failures).toEqual([expect.objectContaining({ check: 'monotone', pointer: 'manifest.json#/monotone/directions/lateFilings24m', message: expect.stringMatching(/declared \+1/) })])
  })

  it('lists every failure of a bad model together', async () => {
    const f = fixture({ trees: [stump(1, 60)] }, { monotone: { directions: { lateFilings24m: 1 } }, artifact: { sha256: 'f'.repeat(64) } })
    f.reference.rows[0]!.outputs.pd[0] = 0.5
    const r = await checkModel({ onnxBytes: f.onnx, manifest: { ...f.manifest, features: [...FX.slice(0, 4), 'mysteryColumn'] }, reference: f.reference })
    expect(new Set(checks(r))).toEqual(new Set(['sha256', 'catalogue', 'golden', 'pd-range']))
    // 1 → 60 rises: monotone +1 holds; the saturated PD is still caught
  })

  it('maps a classifier probabilities column through outputs.pd / pdColumn', async () => {
    const trees = Array.from({ length: 5 }, (_, k) => randomTree(seededRandom(10 + k), FX.length, 3, ['BRANCH_LEQ'], GRID))
    const onnx = buildEnsembleOnnx({ trees, nFeatures: FX.length, op: 'classifier', base: 0.2 })
    const e = extractTreeEnsemble(readOnnxModel(onnx))
    const rows = fixtureRows(seededRandom(2), 10, FX.length, GRID)
    const reference = { rows: rows.map((x) => ({ features: x.map((v) => (Number.isNaN(v) ? null : v)), outputs: { pd: [1 / (1 + Math.exp(-predictMargin(e, x)))] } })) }
    const manifest = fixtureManifest(onnx, [...FX], { outputs: { pd: 'probabilities', pdColumn: 1 } })
    const r = await checkModel({ onnxBytes: onnx, manifest, reference })
    expect(r.failures).toEqual([])
    const bad = await checkModel({ onnxBytes: onnx, manifest: { ...manifest, outputs: { pd: 'probabilities', pdColumn: 2 } }, reference })
    expect(find(bad, 'outputs')?.pointer).toBe('manifest.json#/outputs/pdColumn')
  })
})
