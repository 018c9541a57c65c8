/**
 * Scoring benchmark (DESIGN §13): a 300-tree depth-6 model on 60 features, trained once with trainFromMatrix and
 * cached under .tmp/; our scorer vs a raw onnxruntime `session.run` on the same bytes, in one run.
 * Run alone with `npx tsx test/bench/scoring.bench.ts`; `runScoringBench()` is for the shared bench runner.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as ort from 'onnxruntime-node'
import { DEFAULT_CONFIG, type TrainingConfig } from '../../training/lib/config.js'
import { seededRandom } from '../../training/lib/split.js'
import { trainFromMatrix } from '../../training/train-from-matrix.js'
import { createScorer } from '../../src/models/scorer.js'
import { readOnnxModel } from '../../src/models/onnx-reader.js'
import { extractTreeEnsemble } from '../../src/models/tree-ensemble.js'
import { createTreeShap } from '../../src/models/tree-shap.js'
import type { ServingManifest } from '../../src/models/manifest.js'

const DIR = resolve('.tmp/bench-scoring-model')
const COLS = 60
const TREES = 300

function generate(rows: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const rnd = seededRandom(seed)
  const X = new Float64Array(rows * COLS)
  const y = new Uint8Array(rows)
  const w = Array.from({ length: COLS }, (_, j) => (j < 15 ? (rnd() - 0.5) * 1.5 : 0))
  for (let r = 0; r < rows; r++) {
    let z = -2.5
    for (let j = 0; j < COLS; j++) {
      const v = rnd() < 0.05 ? Number.NaN : rnd() * 4 - 2
      X[r * COLS + j] = v
      if (!Number.isNaN(v)) z += w[j]! * v + (j === 0 ? 0.4 * v * v : 0)
    }
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0
  }
  return { X, y }
}

async function ensureModel(log: (s: string) => void): Promise<{ onnx: Uint8Array; manifest: ServingManifest }> {
  if (!existsSync(resolve(DIR, 'model.onnx'))) {
    log(`training the benchmark model (${TREES} trees, depth 6, ${COLS} features) into ${DIR}`)
    const { X, y } = generate(30_000, 99)
    const config: TrainingConfig = {
      ...structuredClone(DEFAULT_CONFIG), name: 'bench-scoring', version: '1', kind: 'generic', monotone: false,
      xgboost: { ...DEFAULT_CONFIG.xgboost, maxDepth: 6, eta: 0.1, maxRounds: TREES, earlyStoppingRounds: 0, treeMethod: 'hist' },
    }
    await trainFromMatrix({ X, y, featureNames: Array.from({ length: COLS }, (_, j) => `f${j}`), config, out: DIR, progress: log })
  }
  return { onnx: new Uint8Array(await readFile(resolve(DIR, 'model.onnx'))), manifest: JSON.parse(await readFile(resolve(DIR, 'manifest.json'), 'utf8')) }
}

/** Mean µs per call over `iters` calls, after a warm-up; the best of `reps` repetitions (least disturbed). */
async function timeAsync(fn: (i: number) => Promise<unknown>, iters: number, reps = 5): Promise<number> {
  for (let i = 0; i < Math.min(iters, 500); i++) await fn(i)
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    for (let i = 0; i < iters; i++) await fn(i)
    best = Math.min(best, ((performance.now() - t0) * 1000) / iters)
  }
  return best
}

export async function runScoringBench(log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<object[]> {
  const { onnx, manifest } = await ensureModel(log)
  const F = manifest.features.length
  const { X } = generate(8192, 7)
  const rows = Float32Array.from(X)
  const raw = await ort.InferenceSession.create(onnx)
  const scorer = await createScorer(onnx, manifest)
  const inputName = manifest.input.name
  const rowAt = (i: number) => rows.subarray((i % 8192) * F, ((i % 8192) + 1) * F)
  const out: object[] = []
  const singleIters = 5000

  // Interleave the two several times so drift on a shared machine hits both sides alike.
  let rawSingle = Number.POSITIVE_INFINITY
  let oursSingle = Number.POSITIVE_INFINITY
  for (let k = 0; k < 3; k++) {
    rawSingle = Math.min(rawSingle, await timeAsync((i) => raw.run({ [inputName]: new ort.Tensor('float32', rowAt(i).slice(), [1, F]) }), singleIters))
    oursSingle = Math.min(oursSingle, await timeAsync((i) => scorer.scoreOne(rowAt(i)), singleIters))
  }
  out.push({ what: 'single row, raw session.run (anchor)', value: rawSingle, unit: 'µs/call' })
  out.push({ what: 'single row, scorer.scoreOne (pd, margin, score, grade)', value: oursSingle, unit: 'µs/call', ratio: oursSingle / rawSingle, target: '≤ 1.3× raw' })

  const batch = 4096
  const batchRows = rows.subarray(0, batch * F)
  let rawBatch = Number.POSITIVE_INFINITY
  let oursBatch = Number.POSITIVE_INFINITY
  for (let k = 0; k < 3; k++) {
    rawBatch = Math.min(rawBatch, await timeAsync(() => raw.run({ [inputName]: new ort.Tensor('float32', batchRows, [batch, F]) }), 20, 3))
    oursBatch = Math.min(oursBatch, await timeAsync(() => scorer.scoreBatch(batchRows, batch), 20, 3))
  }
  const rawRps = (batch * 1e6) / rawBatch
  const oursRps = (batch * 1e6) / oursBatch
  out.push({ what: `batch ${batch}, raw session.run (anchor)`, value: rawRps, unit: 'rows/s' })
  out.push({ what: `batch ${batch}, scorer.scoreBatch`, value: oursRps, unit: 'rows/s', ratio: oursRps / rawRps, target: '≥ 0.8× raw' })

  const ensemble = extractTreeEnsemble(readOnnxModel(onnx))
  const shap = createTreeShap(ensemble, F)
  const phi = new Float64Array(F)
  const n = 2000
  for (let i = 0; i < 200; i++) shap.explain(rowAt(i), phi)
  const t0 = performance.now()
  for (let i = 0; i < n; i++) shap.explain(rowAt(i), phi)
  const shapUs = ((performance.now() - t0) * 1000) / n
  out.push({ what: `TreeSHAP (${ensemble.nTrees} trees, max depth ${ensemble.maxDepth}, ${F} features)`, value: shapUs, unit: 'µs/row', target: 'reference port ~900 µs (200 trees, depth 5)' })
  await scorer.close()
  await raw.release()
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { printRecords } = await import('./table.js')
  printRecords(await runScoringBench())
}
