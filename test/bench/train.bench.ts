/**
 * Training benchmark: 100k rows × 60 features × 300 trees (depth 6, hist) on generated data, then export.
 * Run alone with `npx tsx test/bench/train.bench.ts`; `runTrainBench()` is for the shared bench runner.
 */
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'
import { DEFAULT_CONFIG } from '../../training/lib/config.js'
import { trainBooster } from '../../training/lib/xgb-train.js'
import { parseXgboostModel } from '../../training/lib/xgb-binary.js'
import { exportOnnx } from '../../training/lib/onnx-export.js'
import { checkParity, createSession, goldenRows, scoreOnnx } from '../../training/lib/parity.js'
import { seededRandom } from '../../training/lib/split.js'

export interface Row { name: string; value: number; unit: string; target?: string; note?: string }

export interface TrainBenchOptions { rows?: number; cols?: number; trees?: number; log?: (s: string) => void }

function generate(rows: number, cols: number): { data: Float64Array; y: Uint8Array } {
  const rnd = seededRandom(2024)
  const data = new Float64Array(rows * cols)
  const y = new Uint8Array(rows)
  const w = Array.from({ length: cols }, (_, j) => (j < 12 ? (rnd() - 0.5) * 1.5 : 0))
  for (let r = 0; r < rows; r++) {
    let z = -2.5
    for (let j = 0; j < cols; j++) {
      const v = rnd() < 0.05 ? Number.NaN : rnd() * 4 - 2
      data[r * cols + j] = v
      if (!Number.isNaN(v)) z += w[j]! * v + (j === 0 ? 0.4 * v * v : 0)
    }
    y[r] = rnd() < 1 / (1 + Math.exp(-z)) ? 1 : 0
  }
  return { data, y }
}

const seconds = (t0: number): number => Math.round((performance.now() - t0) / 10) / 100

export async function runTrainBench(opts: TrainBenchOptions = {}): Promise<Row[]> {
  const { rows = 100_000, cols = 60, trees = 300, log = () => {} } = opts
  const { data, y } = generate(rows, cols)
  const m = { data, rows, cols }
  const all = Array.from({ length: rows }, (_, i) => i)
  const params = { ...DEFAULT_CONFIG.xgboost, maxDepth: 6, eta: 0.1, subsample: 0.8, colsampleBytree: 0.8, treeMethod: 'hist' as const }
  log(`training ${trees} trees on ${rows} × ${cols}`)
  let t0 = performance.now()
  const trained = await trainBooster(m, y, all, params, trees, 1)
  const trainS = seconds(t0)
  const peakTrainMb = Math.round(process.resourceUsage().maxRSS / 1024)
  log(`trained in ${trainS} s, peak RSS ${peakTrainMb} MB`)
  t0 = performance.now()
  const model = parseXgboostModel(trained.bytes)
  const onnx = exportOnnx(model, { featureNames: Array.from({ length: cols }, (_, j) => `f${j}`) })
  const exportS = seconds(t0)
  t0 = performance.now()
  const session = await createSession(onnx)
  const parity = await checkParity(session, 'features', trained.booster, model, goldenRows(model, m, all.slice(0, 24)))
  const parityS = seconds(t0)
  t0 = performance.now()
  await scoreOnnx(session, 'features', m)
  const scoreS = seconds(t0)
  trained.booster.free()
  const nodes = model.trees.reduce((s, t) => s + t.nodes.length, 0)
  return [
    { name: `train ${rows}×${cols}, ${trees} trees, depth 6, hist`, value: trainS, unit: 's', target: '≤ 120 s' },
    { name: 'peak RSS after training', value: peakTrainMb, unit: 'MB' },
    { name: `parse legacy binary + export ONNX (${nodes} nodes)`, value: exportS, unit: 's' },
    { name: 'model.onnx size', value: Math.round(onnx.length / 1024), unit: 'KiB' },
    { name: 'ORT session + parity gate (golden rows)', value: parityS, unit: 's', note: `max |Δpd| ${parity.maxPdDiff.toExponential(2)}` },
    { name: `ORT scoring of ${rows} rows`, value: scoreS, unit: 's' },
    { name: 'peak RSS overall', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' },
  ]
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href
if (isMain) {
  const rows = await runTrainBench({ log: (s) => process.stderr.write(`${s}\n`) })
  console.table(rows)
}
