import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as ort from 'onnxruntime-node'
import { ProtoWriter } from '../../training/lib/protobuf.js'
import { seededRandom } from '../../training/lib/split.js'
import { createScorer, vectorize, type Scorer } from '../../src/models/scorer.js'
import { VectorizeError } from '../../src/models/vectorize.js'
import { describeType, readOnnxModel, ProtobufDecodeError } from '../../src/models/onnx-reader.js'
import { extractTreeEnsemble, predictMargin } from '../../src/models/tree-ensemble.js'
import { createTreeShap } from '../../src/models/tree-shap.js'
import { buildEnsembleOnnx, fixtureManifest, fixtureRows, randomTree, trainSmallModel, TRAINED_FEATURES, type TrainedModel } from './fixtures.js'

const F = TRAINED_FEATURES.length

describe('ONNX reader', () => {
  it('decodes a skl2onnx-style classifier: BRANCH_LEQ, probabilities [N,2], ZipMap seq(map), metadata', () => {
    const trees = [randomTree(seededRandom(1), 4, 3, ['BRANCH_LEQ'], [0, 1, 2])]
    const m = readOnnxModel(buildEnsembleOnnx({ trees, nFeatures: 4, op: 'classifier', zipmap: true }))
    expect(m.producerName).toBe('skl2onnx')
    expect(m.opsets).toEqual([{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }])
    expect(m.metadata).toEqual({ producer_note: 'hand-built test fixture' })
    expect(m.graph.inputs.map((i) => describeType(i.type))).toEqual(['tensor(float)[N,4]'])
    expect(m.graph.outputs.map((o) => [o.name, o.type?.kind])).toEqual([['label', 'tensor'], ['output_probability', 'sequence']])
    const tec = m.graph.nodes.find((n) => n.opType === 'TreeEnsembleClassifier')!
    expect(tec.domain).toBe('ai.onnx.ml')
    expect(tec.attributes.get('nodes_modes')!.strings!.every((s) => s === 'BRANCH_LEQ' || s === 'LEAF')).toBe(true)
    expect(tec.attributes.get('post_transform')!.s).toBe('LOGISTIC')
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['TreeEnsembleClassifier', 'ZipMap'])
  })

  it('reads negative int64 values and rejects garbage with a located message', () => {
    const w = new ProtoWriter().int(1, 8)
    w.message(7, (g) => g.message(1, (n) => n.string(4, 'X').message(5, (a) => a.string(1, 'k').packedInts(8, [-1, 5, -300]).int(20, 7))))
    const m = readOnnxModel(w.finish())
    expect(m.graph.nodes[0]!.attributes.get('k')!.ints).toEqual([-1, 5, -300])
    expect(() => readOnnxModel(Uint8Array.from([0x0a, 0x50, 1, 2]))).toThrow(ProtobufDecodeError)
    expect(() => readOnnxModel(new TextEncoder().encode('PK\u0003\u0004 zip file'))).toThrow(/truncated|not an ONNX model|wire type|field number/)
  })

  it('a BRANCH_LEQ TreeEnsembleClassifier scores in onnxruntime exactly as our tree walk', async () => {
    const grid = [-1.5, -0.25, 0, 0.5, 1, 2.5]
    const trees = Array.from({ length: 30 }, (_, k) => randomTree(seededRandom(100 + k), 6, 5, ['BRANCH_LEQ'], grid))
    const onnx = buildEnsembleOnnx({ trees, nFeatures: 6, op: 'classifier', base: -0.4 })
    const e = extractTreeEnsemble(readOnnxModel(onnx))
    expect(e).toMatchObject({ kind: 'classifier', postTransform: 'LOGISTIC', base: Math.fround(-0.4), nTrees: 30 })
    const rows = fixtureRows(seededRandom(7), 500, 6, grid)
    const session = await ort.InferenceSession.create(onnx)
    const out = await session.run({ X: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 6]) })
    const probs = out.probabilities!.data as Float32Array
    const shap = createTreeShap(e, 6)
    rows.forEach((r, i) => {
      const z = predictMargin(e, r)
      // The margin is exact; onnxruntime applies the logistic in float32 with MLAS's approximation, whose
      // error depends on the CPU's kernel (up to 2.3e-7 seen, under 2 ulps of float32 just below 1).
      expect(Math.abs(probs[2 * i + 1]! - 1 / (1 + Math.exp(-z)))).toBeLessThan(4 * 2 ** -23)
      expect(Math.abs(probs[2 * i]! + probs[2 * i + 1]! - 1)).toBeLessThan(1e-6)
      const { bias, phi } = shap.explain(r)
      expect(Math.abs(bias + phi.reduce((a, b) => a + b, 0) - z)).toBeLessThan(1e-9)
    })
    await session.release()
  })
})

describe('vectorize', () => {
  const manifest = { features: ['taxArrears', 'entAgeMonths', 'taxCreditGrade=A', 'taxCreditGrade=D', 'lawsuits12m'] }
  it('orders by the manifest, booleans 1/0, null/undefined NaN, categories one-hot (unseen level all zeros)', () => {
    expect(Array.from(vectorize({ entAgeMonths: 36, taxArrears: true, taxCreditGrade: 'D', lawsuits12m: null }, manifest))).toEqual([1, 36, 0, 1, Number.NaN])
    expect(Array.from(vectorize({ taxArrears: false, taxCreditGrade: 'M' }, manifest))).toEqual([0, Number.NaN, 0, 0, Number.NaN])
    expect(Array.from(vectorize({ taxCreditGrade: null }, manifest)).slice(2, 4)).toEqual([Number.NaN, Number.NaN])
    expect(Array.from(vectorize({ 'taxCreditGrade=A': 1, entAgeMonths: '12.5' }, manifest)).slice(1, 4)).toEqual([12.5, 1, Number.NaN])
  })
  it('refuses text for a numeric column instead of scoring it as missing', () => {
    expect(() => vectorize({ entAgeMonths: 'three years' }, manifest)).toThrow(VectorizeError)
  })
})

describe('scorer', () => {
  let model: TrainedModel
  let scorer: Scorer
  beforeAll(async () => {
    model = await trainSmallModel({ trees: 30 })
    scorer = await createScorer(model.onnx, model.manifest)
  })
  afterAll(async () => { await scorer.close() })

  const goldenRow = (i: number) => model.reference.rows[i]!.features.map((v) => (v === null ? Number.NaN : v))

  it('scores single rows and batches like the golden rows, with score and grade from the manifest', async () => {
    const n = model.reference.rows.length
    const batch = Float32Array.from(model.reference.rows.flatMap((_, i) => goldenRow(i)))
    const b = await scorer.scoreBatch(batch, n)
    for (let i = 0; i < n; i++) {
      const one = await scorer.scoreOne(goldenRow(i))
      const ref = model.reference.rows[i]!.outputs
      expect(Math.abs(one.pd - ref.pd[0]!)).toBeLessThan(1e-7)
      // onnxruntime sums trees in a different order for batches: equal to float32 rounding
      expect(Math.abs(one.margin - b.margin[i]!)).toBeLessThan(1e-6)
      expect(Math.abs(one.pd - b.pd[i]!)).toBeLessThan(1e-7)
      expect(one.score).toBeCloseTo(model.manifest.scorecard.offset - model.manifest.scorecard.factor * one.margin, 9)
    }
    const one = await scorer.scoreOne({ zeroFilingMonths12m: 12, taxArrears: true, entAgeMonths: 6, lawsuits12m: 5, blacklistWithin2Hops: 2, taxCreditGrade: 'D' })
    expect(one.grade).toMatch(/^(B|CCC|CC|C)$/)
  })

  it('keeps overlapping single-row calls apart (the reused input buffer is not overwritten)', async () => {
    const rows = Array.from({ length: 24 }, (_, i) => goldenRow(i % model.reference.rows.length))
    const results = await Promise.all(rows.map((r) => scorer.scoreOne(r)))
    results.forEach((r, i) => expect(Math.abs(r.pd - model.reference.rows[i % model.reference.rows.length]!.outputs.pd[0]!)).toBeLessThan(1e-7))
  })

  it('scores the single rows of one turn in one shared run, each exactly as it scores alone', async () => {
    // As serving runs it: one intra-op thread (with more, onnxruntime splits a lone row's trees across threads,
    // which rounds differently from a run of rows).
    const served = await createScorer(model.onnx, model.manifest, { intraOpNumThreads: 1, interOpNumThreads: 1 })
    const n = model.reference.rows.length
    const alone: Awaited<ReturnType<Scorer['scoreOne']>>[] = []
    for (let i = 0; i < 70; i++) alone.push(await served.scoreOne(goldenRow(i % n)))
    // 70 rows in one turn: a full run of 64, then the rest; a row of the wrong width fails alone.
    // The session class's run, counted through its prototype (the package types only its factory).
    const runs = vi.spyOn((ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype, 'run')
    const together = await Promise.allSettled([...alone.keys()].map((i) => served.scoreOne(i === 5 ? [1, 2, 3] : goldenRow(i % n))))
    together.forEach((r, i) => {
      if (i === 5) expect(r.status === 'rejected' && String(r.reason)).toMatch(/row has 3 values/)
      else expect(r.status === 'fulfilled' && r.value).toEqual(alone[i])
    })
    expect(runs).toHaveBeenCalledTimes(2)
    runs.mockRestore()
    await served.close()
  })

  it('explains a row: bias + Σφ = the served margin', async () => {
    const rec = { zeroFilingMonths12m: 8, taxArrears: true, entAgeMonths: 20, registeredCapitalLog: null, lawsuits12m: 2, taxCreditGrade: 'B', requestedAmount: 1e6 }
    const { bias, phi } = scorer.explain(rec)
    const served = await scorer.scoreOne(rec)
    expect(phi).toHaveLength(F)
    expect(Math.abs(bias + phi.reduce((a, v) => a + v, 0) - served.margin)).toBeLessThan(1e-5)
    expect(phi[1]!).toBeGreaterThan(0) // tax arrears raise PD
  })

  it('serves a classifier whose PD is column 1 of probabilities, margin = logit(pd)', async () => {
    const trees = Array.from({ length: 8 }, (_, k) => randomTree(seededRandom(50 + k), 5, 3, ['BRANCH_LEQ'], [0, 1, 2, 3]))
    const onnx = buildEnsembleOnnx({ trees, nFeatures: 5, op: 'classifier' })
    const features = ['lateFilings24m', 'entAgeMonths', 'lawsuits12m', 'taxArrears', 'employees']
    const s = await createScorer(onnx, fixtureManifest(onnx, features, { outputs: { pd: 'probabilities', pdColumn: 1 } }))
    const e = extractTreeEnsemble(readOnnxModel(onnx))
    const row = [1, 2, Number.NaN, 0, 3]
    const r = await s.scoreOne(row)
    expect(Math.abs(r.margin - predictMargin(e, row))).toBeLessThan(1e-5)
    const b = await s.scoreBatch(Float32Array.from([...row, ...row]), 2)
    expect(Array.from(b.pd)).toEqual([r.pd, r.pd])
    await s.close()
  })
})
