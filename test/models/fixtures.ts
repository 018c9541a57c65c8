/**
 * Test fixtures for src/models: a small real model trained with the training pipeline, and hand-built ONNX
 * tree ensembles (written with training's protobuf writer) for the toolchains and failure cases we cannot
 * produce by training here: BRANCH_LEQ and other modes, TreeEnsembleClassifier, ZipMap, NaN or saturated outputs.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProtoWriter } from '../../training/lib/protobuf.js'
import { DEFAULT_CONFIG, type TrainingConfig } from '../../training/lib/config.js'
import { seededRandom } from '../../training/lib/split.js'
import { trainFromMatrix } from '../../training/train-from-matrix.js'
import type { ServingManifest } from '../../src/models/manifest.js'

export const TRAINED_FEATURES = [
  'zeroFilingMonths12m', 'taxArrears', 'entAgeMonths', 'registeredCapitalLog', 'lawsuits12m',
  'blacklistWithin2Hops', 'taxCreditGrade=A', 'taxCreditGrade=D', 'requestedAmount',
]

export interface TrainedModel { dir: string; onnx: Uint8Array; manifest: ServingManifest & Record<string, unknown>; reference: { rows: Array<{ features: Array<number | null>; outputs: { pd: number[]; margin: number[] } }> } }

/** A few thousand generated SME rows with catalogue features (monotone where the catalogue says so). */
export function generateSmeRows(rows: number, seed = 11): { X: Float64Array; y: Uint8Array } {
  const rnd = seededRandom(seed)
  const F = TRAINED_FEATURES.length
  const X = new Float64Array(rows * F)
  const y = new Uint8Array(rows)
  for (let r = 0; r < rows; r++) {
    const grade = rnd()
    const row = [
      rnd() < 0.1 ? Number.NaN : Math.floor(rnd() * 13), rnd() < 0.1 ? 1 : 0, Math.floor(rnd() * 240),
      rnd() < 0.05 ? Number.NaN : 10 + rnd() * 8, Math.floor(rnd() * rnd() * 6), Math.floor(rnd() * rnd() * 3),
      grade < 0.3 ? 1 : 0, grade > 0.9 ? 1 : 0, Math.round(rnd() * 5e6),
    ]
    const z = -2 + 0.25 * (Number.isNaN(row[0]!) ? 3 : row[0]!) + 1.2 * row[1]! - 0.008 * row[2]! - 0.2 * (Number.isNaN(row[3]!) ? 12 : row[3]! - 12)
      + 0.4 * row[4]! + 0.8 * row[5]! - 0.6 * row[6]! + 1.0 * row[7]!
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0
    X.set(row, r * F)
  }
  return { X, y }
}

export async function trainSmallModel(opts: { rows?: number; trees?: number; depth?: number } = {}): Promise<TrainedModel> {
  const dir = await mkdtemp(join(tmpdir(), 'models-test-'))
  const { X, y } = generateSmeRows(opts.rows ?? 3000)
  const config: TrainingConfig = {
    ...structuredClone(DEFAULT_CONFIG), name: 'test-sme', version: '1.0.0', kind: 'credit-risk', features: TRAINED_FEATURES, monotone: true,
    xgboost: { ...DEFAULT_CONFIG.xgboost, maxDepth: opts.depth ?? 4, eta: 0.2, maxRounds: opts.trees ?? 40, earlyStoppingRounds: 0 },
  }
  await trainFromMatrix({ X, y, featureNames: TRAINED_FEATURES, config, out: dir, progress: () => {} })
  return {
    dir, onnx: new Uint8Array(await readFile(join(dir, 'model.onnx'))),
    manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')), reference: JSON.parse(await readFile(join(dir, 'reference.json'), 'utf8')),
  }
}

// ---- hand-built ONNX tree ensembles ----

export interface FixtureNode { feature: number; mode: string; value: number; t: number; f: number; missingTrue: number; cover: number; weight: number }
export type FixtureTree = FixtureNode[]

/** A random binary tree of depth ≤ `depth` in pre-order, covers consistent (children sum to the parent). */
export function randomTree(rnd: () => number, nFeatures: number, depth: number, modes: readonly string[], grid: readonly number[]): FixtureTree {
  const nodes: FixtureTree = []
  const build = (d: number): number => {
    const id = nodes.length
    const node: FixtureNode = { feature: 0, mode: 'LEAF', value: 0, t: 0, f: 0, missingTrue: 0, cover: 0, weight: 0 }
    nodes.push(node)
    if (d === depth || (d > 0 && rnd() < 0.2)) {
      node.weight = Math.fround((rnd() - 0.5) * 2)
      node.cover = Math.fround(1 + rnd() * 50)
      return id
    }
    node.feature = Math.floor(rnd() * nFeatures)
    node.mode = modes[Math.floor(rnd() * modes.length)]!
    node.value = Math.fround(grid[Math.floor(rnd() * grid.length)]!)
    node.missingTrue = rnd() < 0.5 ? 1 : 0
    node.t = build(d + 1)
    node.f = build(d + 1)
    node.cover = nodes[node.t]!.cover + nodes[node.f]!.cover
    return id
  }
  build(0)
  return nodes
}

type Attr = { ints: number[] } | { floats: number[] } | { strings: string[] } | { i: number } | { s: string }

function attribute(n: ProtoWriter, name: string, v: Attr): void {
  n.message(5, (a) => {
    a.string(1, name)
    if ('ints' in v) a.packedInts(8, v.ints).int(20, 7)
    else if ('floats' in v) a.packedFloats(7, v.floats).int(20, 6)
    else if ('strings' in v) { for (const s of v.strings) a.string(9, s); a.int(20, 8) }
    else if ('i' in v) a.int(3, v.i).int(20, 2)
    else a.string(4, v.s).int(20, 3)
  })
}

function node(g: ProtoWriter, op: string, inputs: string[], outputs: string[], domain = '', attrs: Array<[string, Attr]> = []): void {
  g.message(1, (n) => {
    for (const i of inputs) n.string(1, i)
    for (const o of outputs) n.string(2, o)
    n.string(3, `${op}_${outputs[0]}`).string(4, op)
    for (const [k, v] of attrs) attribute(n, k, v)
    if (domain) n.string(7, domain)
  })
}

type TypeSpec = { tensor: number; dims: Array<number | string> } | { zipmap: true }

function valueInfo(g: ProtoWriter, field: number, name: string, type: TypeSpec): void {
  g.message(field, (vi) => {
    vi.string(1, name)
    vi.message(2, (tp) => {
      if ('zipmap' in type) {
        // seq(map(int64, tensor(float)))
        tp.message(4, (seq) => seq.message(1, (el) => el.message(5, (map) => { map.int(1, 7); map.message(2, (v) => v.message(1, (tt) => tt.int(1, 1))) })))
        return
      }
      tp.message(1, (tt) => { tt.int(1, type.tensor); tt.message(2, (sh) => { for (const d of type.dims) sh.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d))) }) })
    })
  })
}

export interface EnsembleSpec {
  trees: FixtureTree[]
  nFeatures: number
  /** regressor: X → trees → margin → Sigmoid (or Identity) → pd; classifier: X → trees → label, probabilities [N,2] (→ ZipMap). */
  op: 'regressor' | 'classifier'
  base?: number
  inputName?: string
  declaredWidth?: number
  pdIdentity?: boolean
  zipmap?: boolean
}

export function buildEnsembleOnnx(spec: EnsembleSpec): Uint8Array {
  const x = spec.inputName ?? 'X'
  const a = { tree: [] as number[], id: [] as number[], feat: [] as number[], mode: [] as string[], val: [] as number[], t: [] as number[], f: [] as number[], miss: [] as number[], hit: [] as number[] }
  const w = { tree: [] as number[], id: [] as number[], target: [] as number[], weight: [] as number[] }
  spec.trees.forEach((tree, ti) => {
    tree.forEach((n, i) => {
      a.tree.push(ti); a.id.push(i); a.feat.push(n.feature); a.mode.push(n.mode); a.val.push(n.value); a.t.push(n.t); a.f.push(n.f); a.miss.push(n.missingTrue); a.hit.push(n.cover)
      if (n.mode === 'LEAF') { w.tree.push(ti); w.id.push(i); w.target.push(0); w.weight.push(n.weight) }
    })
  })
  const prefix = spec.op === 'classifier' ? 'class' : 'target'
  const attrs: Array<[string, Attr]> = [
    ['nodes_treeids', { ints: a.tree }], ['nodes_nodeids', { ints: a.id }], ['nodes_featureids', { ints: a.feat }], ['nodes_modes', { strings: a.mode }],
    ['nodes_values', { floats: a.val }], ['nodes_truenodeids', { ints: a.t }], ['nodes_falsenodeids', { ints: a.f }],
    ['nodes_missing_value_tracks_true', { ints: a.miss }], ['nodes_hitrates', { floats: a.hit }],
    [`${prefix}_treeids`, { ints: w.tree }], [`${prefix}_nodeids`, { ints: w.id }], [`${prefix}_ids`, { ints: w.target }], [`${prefix}_weights`, { floats: w.weight }],
    ['base_values', { floats: [spec.base ?? 0] }],
  ]
  const m = new ProtoWriter()
  m.int(1, 8).string(2, spec.op === 'classifier' ? 'skl2onnx' : 'fixture').string(3, '1.0')
  m.message(8, (o) => o.string(1, '').int(2, 17))
  m.message(8, (o) => o.string(1, 'ai.onnx.ml').int(2, 3))
  m.message(7, (g) => {
    const width = spec.declaredWidth ?? spec.nFeatures
    if (spec.op === 'regressor') {
      node(g, 'TreeEnsembleRegressor', [x], ['margin'], 'ai.onnx.ml', [['n_targets', { i: 1 }], ['post_transform', { s: 'NONE' }], ...attrs])
      node(g, spec.pdIdentity ? 'Identity' : 'Sigmoid', ['margin'], ['pd'])
      valueInfo(g, 11, x, { tensor: 1, dims: ['N', width] })
      valueInfo(g, 12, 'margin', { tensor: 1, dims: ['N', 1] })
      valueInfo(g, 12, 'pd', { tensor: 1, dims: ['N', 1] })
    } else {
      node(g, 'TreeEnsembleClassifier', [x], ['label', 'probabilities'], 'ai.onnx.ml', [['classlabels_int64s', { ints: [0, 1] }], ['post_transform', { s: 'LOGISTIC' }], ...attrs])
      if (spec.zipmap) node(g, 'ZipMap', ['probabilities'], ['output_probability'], 'ai.onnx.ml', [['classlabels_int64s', { ints: [0, 1] }]])
      valueInfo(g, 11, x, { tensor: 1, dims: ['N', width] })
      valueInfo(g, 12, 'label', { tensor: 7, dims: ['N'] })
      if (spec.zipmap) valueInfo(g, 12, 'output_probability', { zipmap: true })
      else valueInfo(g, 12, 'probabilities', { tensor: 1, dims: ['N', 2] })
    }
    g.string(2, 'fixture')
  })
  m.message(14, (p) => p.string(1, 'producer_note').string(2, 'hand-built test fixture'))
  return m.finish()
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

export function fixtureManifest(onnx: Uint8Array, features: string[], extra: Partial<ServingManifest> = {}): ServingManifest {
  return {
    name: 'fixture', version: '1', kind: 'credit-risk', features, input: { name: 'X' }, outputs: { pd: 'pd', margin: 'margin' },
    scorecard: { factor: 50 / Math.LN2, offset: 600 + (50 / Math.LN2) * Math.log(1 / 19) }, grades: DEFAULT_CONFIG.grades,
    artifact: { sha256: sha256(onnx) }, ...extra,
  }
}

/** Float32 rows over the fixture grid, with NaNs and values on and next to thresholds. */
export function fixtureRows(rnd: () => number, n: number, nFeatures: number, grid: readonly number[]): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: nFeatures }, () => {
    const u = rnd()
    if (u < 0.15) return Number.NaN
    if (u < 0.55) return Math.fround(grid[Math.floor(rnd() * grid.length)]!)
    return Math.fround((rnd() - 0.5) * 8)
  }))
}
