import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import * as ort from 'onnxruntime-node'
import { seededRandom } from '../../training/lib/split.js'
import { readOnnxModel } from '../../src/models/onnx-reader.js'
import { extractTreeEnsemble, goesTrue, MODE, toTreeSpace, type TreeEnsemble } from '../../src/models/tree-ensemble.js'
import { createTreeShap, predictMargin } from '../../src/models/tree-shap.js'
import { buildEnsembleOnnx, randomTree, trainSmallModel, TRAINED_FEATURES, type TrainedModel } from './fixtures.js'

const ALL_MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ']
const GRID = [-2, -1, -0.5, 0, 0.25, 1, 1.5, 2.75]

/** v(S): path-dependent conditional expectation: follow x on features in S, average by cover otherwise. */
function conditionalExpectation(e: TreeEnsemble, x: Float64Array, inS: boolean[]): number {
  const visit = (i: number): number => {
    if (e.mode[i] === MODE.LEAF) return e.value[i]!
    const t = e.trueChild[i]!
    const f = e.falseChild[i]!
    if (inS[e.feature[i]!]) return visit(goesTrue(e, i, x[e.feature[i]!]!) ? t : f)
    return (e.cover[t]! * visit(t) + e.cover[f]! * visit(f)) / e.cover[i]!
  }
  let s = e.base
  for (let k = 0; k < e.nTrees; k++) s += visit(e.roots[k]!)
  return s
}

/** Exact Shapley values by enumerating every subset (2^M of them). */
function bruteForceShap(e: TreeEnsemble, row: number[], M: number): { bias: number; phi: number[] } {
  const x = toTreeSpace(e, row)
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1))
  const v = new Map<number, number>()
  for (let mask = 0; mask < 1 << M; mask++) v.set(mask, conditionalExpectation(e, x, Array.from({ length: M }, (_, j) => ((mask >> j) & 1) === 1)))
  const phi = new Array<number>(M).fill(0)
  for (let i = 0; i < M; i++) {
    for (let mask = 0; mask < 1 << M; mask++) {
      if ((mask >> i) & 1) continue
      let size = 0
      for (let j = 0; j < M; j++) size += (mask >> j) & 1
      phi[i] = phi[i]! + ((fact(size) * fact(M - size - 1)) / fact(M)) * (v.get(mask | (1 << i))! - v.get(mask)!)
    }
  }
  return { bias: v.get(0)!, phi }
}

/** Splits per tree. */
const splitCounts = (e: TreeEnsemble): number[] => Array.from(e.roots, (root) => {
  let n = 0
  const stack = [root]
  while (stack.length > 0) { const i = stack.pop()!; if (e.mode[i] !== MODE.LEAF) { n++; stack.push(e.trueChild[i]!, e.falseChild[i]!) } }
  return n
})

const rowArb = (F: number, grid: number[]) => fc.array(fc.oneof(
  fc.constant(Number.NaN), fc.constantFrom(...grid), fc.double({ min: -5, max: 5, noNaN: true }).map(Math.fround),
), { minLength: F, maxLength: F })

describe('TreeSHAP on hand-built ensembles (every branch mode, NaN both ways)', () => {
  const rnd = seededRandom(5)
  const trees = Array.from({ length: 6 }, () => randomTree(rnd, 5, 4, ALL_MODES, GRID))
  const e = extractTreeEnsemble(readOnnxModel(buildEnsembleOnnx({ trees, nFeatures: 5, op: 'regressor', base: 0.25 })))
  const shap = createTreeShap(e, 5)

  it('equals brute-force Shapley values of the path-dependent conditional expectation', () => {
    fc.assert(fc.property(rowArb(5, GRID), (row) => {
      const exact = bruteForceShap(e, row, 5)
      const got = shap.explain(row)
      expect(Math.abs(got.bias - exact.bias)).toBeLessThan(1e-12)
      exact.phi.forEach((p, j) => expect(Math.abs(got.phi[j]! - p)).toBeLessThan(1e-10))
    }), { numRuns: 150 })
  })

  it('remembers per-tree split patterns without changing a bit: cold, warm and repeated explanations agree', () => {
    const rows = fc.sample(rowArb(5, GRID), { numRuns: 300, seed: 11 })
    const warm = createTreeShap(e, 5)
    for (const r of rows) warm.explain(r)
    for (const r of rows.slice().reverse()) {
      const cold = createTreeShap(e, 5).explain(r)
      const again = warm.explain(r)
      expect(Array.from(again.phi)).toEqual(Array.from(cold.phi))
      expect(again.bias).toBe(cold.bias)
    }
    // Trees too deep for the pattern key (more than 52 splits) are explained by recursion, still exactly.
    const deepTrees = Array.from({ length: 3 }, () => randomTree(seededRandom(21), 5, 7, ALL_MODES, GRID))
    const deep = extractTreeEnsemble(readOnnxModel(buildEnsembleOnnx({ trees: deepTrees, nFeatures: 5, op: 'regressor', base: 0 })))
    expect(Math.max(...splitCounts(deep))).toBeGreaterThan(52)
    const deepShap = createTreeShap(deep, 5)
    for (const r of rows.slice(0, 40)) {
      const exact = bruteForceShap(deep, r, 5)
      deepShap.explain(r).phi.forEach((p, j) => expect(Math.abs(p - exact.phi[j]!)).toBeLessThan(1e-10))
    }
  })

  it('computes the split key the same way for single-mode trees (< and <=) and trees of 17-52 splits (Map slots)', () => {
    const rows = fc.sample(rowArb(5, GRID), { numRuns: 60, seed: 17 })
    for (const [modes, depth] of [[['BRANCH_LT'], 4], [['BRANCH_LEQ'], 4], [['BRANCH_GT'], 4], [['BRANCH_LT'], 5], [ALL_MODES, 5]] as const) {
      const trees = Array.from({ length: 4 }, (_, k) => randomTree(seededRandom(31 + k), 5, depth, [...modes], GRID))
      const ens = extractTreeEnsemble(readOnnxModel(buildEnsembleOnnx({ trees, nFeatures: 5, op: 'regressor', base: -0.5 })))
      if (depth === 5) expect(Math.max(...splitCounts(ens))).toBeGreaterThan(16)
      const s = createTreeShap(ens, 5)
      for (const pass of [0, 1]) { // cold (recursion, then remembered) and warm (from the slots)
        for (const r of rows) {
          const exact = bruteForceShap(ens, r, 5)
          const got = s.explain(r)
          exact.phi.forEach((p, j) => expect(Math.abs(got.phi[j]! - p), `${modes.join('/')} depth ${depth} pass ${pass}`).toBeLessThan(1e-10))
        }
      }
    }
  })

  it('handles a feature split on twice along a path (unwinding) and zero-cover branches', () => {
    const t = randomTree(seededRandom(9), 1, 5, ALL_MODES, GRID) // one feature: every path repeats it
    t.forEach((n) => { if (n.mode === 'LEAF' && n.weight > 0.3) n.cover = 0 })
    for (const n of [...t].reverse()) if (n.mode !== 'LEAF') n.cover = t[n.t]!.cover + t[n.f]!.cover
    if (!(t[0]!.cover > 0)) t[t.findIndex((n) => n.mode === 'LEAF')]!.cover = 1
    for (const n of [...t].reverse()) if (n.mode !== 'LEAF') n.cover = t[n.t]!.cover + t[n.f]!.cover
    const e1 = extractTreeEnsemble(readOnnxModel(buildEnsembleOnnx({ trees: [t], nFeatures: 2, op: 'regressor' })))
    const s1 = createTreeShap(e1, 2)
    for (const v of [...GRID, Number.NaN, 7]) {
      const { bias, phi } = s1.explain([v, 0])
      expect(bias + phi[0]! + phi[1]!).toBeCloseTo(predictMargin(e1, [v, 0]), 12)
      expect(phi[1]).toBe(0)
      expect(Number.isFinite(phi[0]!)).toBe(true)
    }
  })
})

describe('TreeSHAP on a model trained by the pipeline', () => {
  let model: TrainedModel
  let e: TreeEnsemble
  let session: ort.InferenceSession
  const F = TRAINED_FEATURES.length

  beforeAll(async () => {
    model = await trainSmallModel()
    e = extractTreeEnsemble(readOnnxModel(model.onnx))
    session = await ort.InferenceSession.create(model.onnx)
  })

  it('reads the exported trees with covers and the -1 rewrite', () => {
    expect(e.kind).toBe('regressor')
    expect(e.nTrees).toBe(40)
    expect(e.rewrites).toEqual([{ from: -1, to: Math.fround(-1 - 2 ** -23) }])
    expect(e.cover.every((c, i) => e.mode[i] === MODE.LEAF || c > 0)).toBe(true)
  })

  it('tree walk and ONNX agree on the golden rows', () => {
    for (const r of model.reference.rows) {
      const row = r.features.map((v) => (v === null ? Number.NaN : v))
      expect(Math.abs(predictMargin(e, row) - r.outputs.margin[0]!)).toBeLessThan(1e-5)
    }
  })

  it('is additive: bias + Σφ = tree-walk margin (1e-9) = ONNX margin (1e-5), NaN and -1 included', async () => {
    const shap = createTreeShap(e, F)
    const arb = fc.array(fc.oneof(fc.constant(Number.NaN), fc.constant(-1), fc.constant(0), fc.constant(1), fc.double({ min: -10, max: 300, noNaN: true })), { minLength: F, maxLength: F })
    await fc.assert(fc.asyncProperty(fc.array(arb, { minLength: 1, maxLength: 32 }), async (rows) => {
      const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, F]) })
      const onnxMargin = out.margin!.data as Float32Array
      rows.forEach((row, i) => {
        const { bias, phi } = shap.explain(row)
        const sum = bias + phi.reduce((a, b) => a + b, 0)
        expect(Math.abs(sum - predictMargin(e, row))).toBeLessThan(1e-9)
        expect(Math.abs(sum - onnxMargin[i]!)).toBeLessThan(1e-5)
      })
    }), { numRuns: 60 })
  })

  it('gives no contribution to a feature the trees never split on and a known sign to a monotone one', () => {
    const shap = createTreeShap(e, F)
    const used = new Set(Array.from(e.feature).filter((_, i) => e.mode[i] !== MODE.LEAF))
    const low = shap.explain([0, 0, 200, 17, 0, 0, 1, 0, 1e6]).phi
    const high = shap.explain([12, 1, 200, 17, 0, 0, 1, 0, 1e6]).phi
    for (let j = 0; j < F; j++) if (!used.has(j)) expect(low[j]).toBe(0)
    // zeroFilingMonths12m is +1 monotone: 12 months of zero filing pushes PD up relative to none
    expect(high[0]!).toBeGreaterThan(low[0]!)
  })
})
