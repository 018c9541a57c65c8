/**
 * One onnxruntime InferenceSession per model version, with as little around `session.run` as possible:
 * single rows of one event-loop turn share a run, one Tensor per call, only the manifest's outputs fetched and read by
 * name. TreeSHAP runs in TypeScript on the trees decoded from the same bytes, so an explanation always
 * belongs to the artifact that scored the row.
 */
import * as ort from 'onnxruntime-node'
import { readOnnxModel } from './onnx-reader.js'
import { extractTreeEnsemble } from './tree-ensemble.js'
import { createTreeShap, type ShapValues, type TreeShapExplainer } from './tree-shap.js'
import { gradeOf, scoreFromMargin } from './scorecard.js'
import { compileVectorizer, type FeatureValues } from './vectorize.js'
import type { ServingManifest } from './manifest.js'

export { vectorize } from './vectorize.js'

export interface ScoreResult { pd: number; margin: number; score: number; grade: string }
export interface BatchScores { pd: Float32Array; margin: Float32Array }

export interface Scorer {
  readonly manifest: ServingManifest
  readonly nFeatures: number
  scoreOne(row: FeatureValues | ArrayLike<number>): Promise<ScoreResult>
  /** `rows` is row-major n × nFeatures (NaN = missing). */
  scoreBatch(rows: Float32Array, n: number): Promise<BatchScores>
  /** TreeSHAP in margin space: bias + Σ phi = margin. */
  explain(row: FeatureValues | ArrayLike<number>): ShapValues
  close(): Promise<void>
}

export interface ScorerOptions { intraOpNumThreads?: number; interOpNumThreads?: number }

const logit = (p: number): number => Math.log(p / (1 - p))
/** Single rows per shared session.run at most. */
const MAX_SHARED_ROWS = 64

function isArrayLike(v: FeatureValues | ArrayLike<number>): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) || Array.isArray(v)
}

export async function createScorer(onnxBytes: Uint8Array, manifest: ServingManifest, options: ScorerOptions = {}): Promise<Scorer> {
  const session = await ort.InferenceSession.create(onnxBytes, {
    graphOptimizationLevel: 'all', executionMode: 'sequential',
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    ...(options.interOpNumThreads ? { interOpNumThreads: options.interOpNumThreads } : {}),
  })
  const F = manifest.features.length
  const inputName = manifest.input.name
  const pdName = manifest.outputs.pd
  const marginName = manifest.outputs.margin
  const pdColumn = manifest.outputs.pdColumn ?? 0
  const fetches = marginName ? [pdName, marginName] : [pdName]
  const toRow = compileVectorizer(manifest.features)
  // Single rows submitted in the same turn of the event loop (the decisions released by one batched facts read)
  // share one session.run: onnxruntime's fixed cost per call is most of a one-row run (measured on the shipped
  // model: 45 µs of CPU for one row alone, 3.3 µs per row in runs of eight), and with one intra-op thread a
  // row's outputs do not depend on the rows it runs with.
  let pending: { x: Float32Array; resolve: (r: ScoreResult) => void; reject: (err: unknown) => void }[] = []
  const resultOf = (pd: number, margin: number): ScoreResult => ({ pd, margin, score: scoreFromMargin(manifest.scorecard, margin), grade: gradeOf(manifest.grades, pd) })

  function runPending(): void {
    const callers = pending
    if (callers.length === 0) return
    pending = []
    const n = callers.length
    let x = callers[0]!.x
    if (n > 1) {
      x = new Float32Array(n * F)
      for (let i = 0; i < n; i++) x.set(callers[i]!.x, i * F)
    }
    run(x, n).then((r) => {
      for (let i = 0; i < n; i++) {
        const pd = r.pd[i * r.width + pdColumn]!
        callers[i]!.resolve(resultOf(pd, r.margin ? r.margin[i]! : logit(pd)))
      }
    }, (err: unknown) => { for (const c of callers) c.reject(err) })
  }
  let explainer: TreeShapExplainer | undefined

  const fill = (row: FeatureValues | ArrayLike<number>, into: Float32Array): Float32Array => {
    if (!isArrayLike(row)) return toRow(row, into)
    if (row.length !== F) throw new RangeError(`row has ${row.length} values but model ${manifest.name}@${manifest.version} reads ${F}`)
    into.set(row)
    return into
  }

  const run = async (x: Float32Array, n: number) => {
    const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [n, F]) }, fetches)
    const pdT = out[pdName]
    if (!pdT) throw new Error(`model output '${pdName}' is missing`)
    return { pd: pdT.data as Float32Array, width: n > 0 ? pdT.data.length / n : 1, margin: marginName ? (out[marginName]!.data as Float32Array) : undefined }
  }

  return {
    manifest,
    nFeatures: F,
    scoreOne(row) {
      return new Promise<ScoreResult>((resolve, reject) => {
        const x = fill(row, new Float32Array(F))
        // The turn's first row schedules the shared run for after the turn's other callbacks and microtasks.
        if (pending.length === 0) process.nextTick(runPending)
        pending.push({ x, resolve, reject })
        if (pending.length >= MAX_SHARED_ROWS) runPending()
      })
    },
    async scoreBatch(rows, n) {
      if (rows.length !== n * F) throw new RangeError(`batch has ${rows.length} values, expected ${n} rows × ${F} features`)
      const r = await run(rows, n)
      let pd = r.pd
      if (r.width !== 1) {
        pd = new Float32Array(n)
        for (let i = 0; i < n; i++) pd[i] = r.pd[i * r.width + pdColumn]!
      }
      let margin = r.margin
      if (!margin) {
        margin = new Float32Array(n)
        for (let i = 0; i < n; i++) margin[i] = logit(pd[i]!)
      }
      return { pd, margin }
    },
    explain(row) {
      explainer ??= createTreeShap(extractTreeEnsemble(readOnnxModel(onnxBytes)), F)
      return explainer.explain(fill(row, new Float32Array(F)))
    },
    async close() {
      await session.release()
    },
  }
}
