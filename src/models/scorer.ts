/**
 * One onnxruntime InferenceSession per model version, with as little around `session.run` as possible:
 * a reused Float32Array for single rows, one Tensor per call, only the manifest's outputs fetched and read by
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
  const single = new Float32Array(F)
  // session.run defers to setImmediate before reading its input, so an overlapping call must not refill the
  // shared buffer; it gets its own instead.
  let singleBusy = false
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
    async scoreOne(row) {
      const own = singleBusy
      const x = fill(row, own ? new Float32Array(F) : single)
      if (!own) singleBusy = true
      let r: Awaited<ReturnType<typeof run>>
      try {
        r = await run(x, 1)
      } finally {
        if (!own) singleBusy = false
      }
      const pd = r.pd[pdColumn]!
      const margin = r.margin ? r.margin[0]! : logit(pd)
      return { pd, margin, score: scoreFromMargin(manifest.scorecard, margin), grade: gradeOf(manifest.grades, pd) }
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
