/**
 * Deploy checks for a model version (DESIGN §8): every problem is collected and located (a JSON pointer into
 * manifest.json / reference.json, or a path into model.onnx), so a refused model comes back with the whole
 * list at once. Pure apart from onnxruntime: no database, no files.
 */
import { createHash } from 'node:crypto'
import * as ort from 'onnxruntime-node'
import { FEATURE_BY_NAME } from '../features/catalog.js'
import { describeType, readOnnxModel, type OnnxModel } from './onnx-reader.js'
import { extractTreeEnsemble, type TreeEnsemble } from './tree-ensemble.js'
import { escapePointer, validateManifest, type ServingManifest } from './manifest.js'
import { buildSweeps, checkGolden, checkMonotone, checkOutputRange, scoreRows, type Failure } from './contract-runs.js'

export type { Failure as ContractFailure }

export interface ContractInfo {
  sha256: string
  bytes: number
  producer?: string
  opsets?: Array<{ domain: string; version: number }>
  inputs?: Array<{ name: string; type: string }>
  outputs?: Array<{ name: string; type: string }>
  metadata?: Record<string, string>
  ensemble?: { op: string; trees: number; maxDepth: number; modes: string[]; postTransform: string; hasCovers: boolean }
  goldenRows: number
  sweepRows: number
}

export interface ContractResult { ok: boolean; failures: Failure[]; info: ContractInfo }

export interface CheckModelInput {
  onnxBytes: Uint8Array
  /** Parsed manifest.json (validated here). */
  manifest: unknown
  /** Parsed reference.json: { rows: [{ features: (number|null)[], outputs: { pd: number[], margin?: number[] } }] }. */
  reference?: unknown
  /** Golden rows are required for deployment; tests of other checks may switch this off. */
  requireReference?: boolean
}

const MODE_NAMES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ', 'LEAF']
const ZIPMAP_HINT = "export the classifier with ZipMap disabled: skl2onnx `options={id(clf): {'zipmap': False}}` (or `zipmap=False` in to_onnx / onnxmltools), then name the probabilities tensor in the manifest (outputs.pd, outputs.pdColumn: 1)"

export async function checkModel(input: CheckModelInput): Promise<ContractResult> {
  const failures: Failure[] = []
  const fail = (check: string, message: string, pointer?: string) => failures.push(pointer === undefined ? { check, message } : { check, message, pointer })
  const bytes = input.onnxBytes
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const info: ContractInfo = { sha256, bytes: bytes.length, goldenRows: 0, sweepRows: 0 }

  for (const p of validateManifest(input.manifest)) fail('manifest', `manifest${p.pointer}: ${p.message}`, `manifest.json#${p.pointer}`)
  const m = (typeof input.manifest === 'object' && input.manifest !== null ? input.manifest : {}) as Partial<ServingManifest>
  const features = Array.isArray(m.features) && m.features.every((f) => typeof f === 'string') ? m.features : undefined
  if (typeof m.artifact?.sha256 === 'string' && m.artifact.sha256 !== sha256) {
    fail('sha256', `the manifest says sha256 ${m.artifact.sha256} but model.onnx hashes to ${sha256}: wrong or altered file`, 'manifest.json#/artifact/sha256')
  }
  if (features && m.kind !== 'generic') checkCatalogue(features, fail)

  let model: OnnxModel
  let session: ort.InferenceSession
  try {
    model = readOnnxModel(bytes)
  } catch (e) {
    fail('load', `model.onnx is not a readable ONNX model (${bytes.length} bytes): ${(e as Error).message}`, 'model.onnx')
    return { ok: false, failures, info }
  }
  info.producer = `${model.producerName} ${model.producerVersion}`.trim()
  info.opsets = model.opsets
  info.metadata = model.metadata
  info.inputs = model.graph.inputs.map((v) => ({ name: v.name, type: describeType(v.type) }))
  info.outputs = model.graph.outputs.map((v) => ({ name: v.name, type: describeType(v.type) }))
  try {
    session = await ort.InferenceSession.create(bytes)
  } catch (e) {
    fail('load', `onnxruntime cannot load model.onnx: ${firstLine((e as Error).message)}`, 'model.onnx')
    return { ok: false, failures, info }
  }

  try {
    model.graph.outputs.forEach((o, i) => {
      if (o.type?.kind !== 'tensor') {
        fail('output-types', `output '${o.name}' is ${describeType(o.type)}, not a tensor; onnxruntime-node cannot return it${o.type?.kind === 'sequence' ? ` (a ZipMap output): ${ZIPMAP_HINT}` : ''}`, `model.onnx#/graph/output/${i}`)
      }
    })
    let ensemble: TreeEnsemble | undefined
    try {
      ensemble = extractTreeEnsemble(model)
      info.ensemble = {
        op: ensemble.kind === 'classifier' ? 'TreeEnsembleClassifier' : 'TreeEnsembleRegressor', trees: ensemble.nTrees, maxDepth: ensemble.maxDepth,
        modes: [...new Set(Array.from(ensemble.mode, (x) => MODE_NAMES[x]!))], postTransform: ensemble.postTransform, hasCovers: ensemble.cover.some((c) => c > 0),
      }
    } catch { /* not a single tree ensemble: the run-based checks still apply */ }

    const runnable = checkSignature(model, m, features, ensemble, fail)
    if (!runnable || !features) return { ok: false, failures, info }
    const F = features.length
    const fixedBatch = model.graph.inputs.find((v) => v.name === m.input!.name)?.type
    const batch = fixedBatch?.kind === 'tensor' && typeof fixedBatch.shape?.[0] === 'number' && fixedBatch.shape[0] > 0 ? fixedBatch.shape[0] : 0
    const score = (x: Float32Array, n: number) => scoreRows(session, m as ServingManifest, F, batch, x, n)

    try {
      const golden = await checkGolden(input.reference, input.requireReference ?? true, F, m as ServingManifest, score, fail)
      info.goldenRows = golden.rows
      if (golden.scores) checkOutputRange('golden', golden.scores, golden.rows, (i) => `golden row ${i}`, (i) => `reference.json#/rows/${i}`, fail)
      const sweeps = buildSweeps(features, golden.x, golden.rows, m, ensemble)
      let sweepRows = 0
      for (const s of sweeps) {
        const out = await score(s.x, s.n)
        sweepRows += s.n
        checkOutputRange('sweep', out, s.n, (i) => `sweep of '${s.feature}' = ${s.x[i * F + s.j]} on base row ${Math.floor(i / s.values.length)}`, () => `manifest.json#/features/${s.j}`, fail)
        const dir = m.monotone?.directions?.[s.feature] ?? 0
        if (dir !== 0) checkMonotone(s, out.pd, dir, fail, `manifest.json#/monotone/directions/${escapePointer(s.feature)}`)
      }
      info.sweepRows = sweepRows
    } catch (e) {
      fail('run', `onnxruntime failed to score rows: ${firstLine((e as Error).message)}`, 'model.onnx')
    }
  } finally {
    await session.release()
  }
  return { ok: failures.length === 0, failures, info }
}

const firstLine = (s: string): string => s.split('\n')[0]!.slice(0, 300)

function checkCatalogue(features: readonly string[], fail: (c: string, msg: string, p?: string) => void): void {
  features.forEach((f, j) => {
    const eq = f.indexOf('=')
    const col = eq > 0 ? f.slice(0, eq) : f
    const def = FEATURE_BY_NAME.get(col)
    const at = `manifest.json#/features/${j}`
    if (!def) fail('catalogue', `feature '${f}' is not in the feature catalogue (src/features/catalog.ts)`, at)
    else if (eq > 0) {
      if (def.type !== 'category') fail('catalogue', `'${f}' is a one-hot column but '${col}' is a ${def.type} feature, not a category`, at)
      else if (!def.categories?.includes(f.slice(eq + 1))) fail('catalogue', `'${f.slice(eq + 1)}' is not a level of '${col}' (levels: ${def.categories?.join(', ')})`, at)
    } else if (def.type === 'category') fail('catalogue', `'${f}' is a category: the model must read it one-hot, as '${f}=<level>' columns`, at)
  })
}

/** Input and output names, types and widths; returns whether rows can be scored at all. */
function checkSignature(
  model: OnnxModel, m: Partial<ServingManifest>, features: readonly string[] | undefined, ensemble: TreeEnsemble | undefined,
  fail: (c: string, msg: string, p?: string) => void,
): boolean {
  let ok = true
  const names = (vs: Array<{ name: string }>) => vs.map((v) => `'${v.name}'`).join(', ')
  const inputName = m.input?.name
  const inp = model.graph.inputs.find((v) => v.name === inputName)
  if (typeof inputName === 'string' && !inp) { fail('input', `the model has no input '${inputName}'; its inputs are ${names(model.graph.inputs)}`, 'manifest.json#/input/name'); ok = false }
  for (const [i, other] of model.graph.inputs.entries()) {
    if (other.name !== inputName) { fail('input', `input '${other.name}' is not fed by the engine: the model must read one feature tensor`, `model.onnx#/graph/input/${i}`); ok = false }
  }
  if (inp && features) {
    const t = inp.type
    if (t?.kind !== 'tensor' || t.elemType !== 1) { fail('input', `input '${inp.name}' is ${describeType(t)}; it must be a float32 tensor [N, ${features.length}]`, 'manifest.json#/input/name'); ok = false }
    else if (t.shape && t.shape.length !== 2) { fail('input', `input '${inp.name}' has rank ${t.shape.length}; it must be [N, ${features.length}]`, 'manifest.json#/input/name'); ok = false }
    else if (t.shape && typeof t.shape[1] === 'number' && t.shape[1] !== features.length) {
      fail('input', `input '${inp.name}' is ${describeType(t)} but the manifest lists ${features.length} features`, 'manifest.json#/features'); ok = false
    }
    if (ensemble && ensemble.nFeatures > features.length) { fail('input', `the trees read column ${ensemble.nFeatures - 1} but the manifest lists ${features.length} features`, 'manifest.json#/features'); ok = false }
  }
  if (!features || !inputName) ok = false
  for (const key of ['pd', 'margin'] as const) {
    const name = m.outputs?.[key]
    if (typeof name !== 'string') { if (key === 'pd') ok = false; continue }
    const i = model.graph.outputs.findIndex((o) => o.name === name)
    const o = model.graph.outputs[i]
    if (!o) { fail('outputs', `the model has no output '${name}'; its outputs are ${names(model.graph.outputs)}`, `manifest.json#/outputs/${key}`); ok = false; continue }
    if (o.type?.kind !== 'tensor') { ok = false; continue }
    const width = o.type.shape?.[1]
    const col = key === 'pd' ? (m.outputs?.pdColumn ?? 0) : 0
    if (typeof width === 'number' && width <= col) { fail('outputs', `output '${name}' is ${describeType(o.type)}: it has no column ${col}`, key === 'pd' ? 'manifest.json#/outputs/pdColumn' : `manifest.json#/outputs/${key}`); ok = false }
  }
  return ok
}
