/**
 * Validation against published figures: trains German credit, Taiwan default and Polish bankruptcy over several
 * seeds (70/30 each) and prints mean test AUCs. `npx tsx training/validate-datasets.ts [--seeds 5]`.
 * Artifacts go to a temporary directory; the datasets are read from ../shared/datasets. Seeds are 1..N, fixed:
 * every choice (rounds, hyper-parameters) is made inside each run on its training split, never on its test split.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runCli } from './cli.js'

const root = resolve(process.cwd(), '../shared/datasets')
const DATASETS = [
  { name: 'German credit', file: 'german-credit/german.data', args: ['--no-header', '--sep', 'space', '--target', 'c21', '--positive', '2'], published: { xgb: 0.817, lr: 0.81 } },
  { name: 'Taiwan default', file: 'taiwan-default/UCI_Credit_Card.csv', args: ['--target', 'default.payment.next.month', '--drop', 'ID'], published: { xgb: 0.8, lr: 0.634 } },
  { name: 'Polish 1year', file: 'polish-bankruptcy/1year.arff', args: ['--target', 'bankruptcy'], published: undefined },
]

const seedsArg = process.argv.indexOf('--seeds')
const seeds = seedsArg > 0 ? Number(process.argv[seedsArg + 1]) : 5
const dir = await mkdtemp(join(tmpdir(), 'validate-'))
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
try {
  for (const d of DATASETS) {
    const path = join(root, d.file)
    if (!existsSync(path)) { process.stderr.write(`${d.name}: ${path} not found, skipped\n`); continue }
    const xgb: number[] = [], lr: number[] = [], parity: number[] = [], rounds: number[] = []
    const t0 = Date.now()
    for (let s = 1; s <= seeds; s++) {
      const r = await runCli(['--csv', path, ...d.args, '--seed', String(s), '--out', join(dir, `${d.file.split('/')[0]}-${s}`)], () => {})
      xgb.push(r.metrics.auc)
      lr.push(r.manifest.metrics.logisticBaseline.test.auc)
      parity.push(r.manifest.parity.maxPdDiff)
      rounds.push(r.manifest.training.rounds.used)
    }
    const pub = d.published ? ` (published XGBoost ${d.published.xgb}, logistic ${d.published.lr})` : ''
    console.log(`${d.name}: XGBoost AUC ${mean(xgb).toFixed(4)} [${Math.min(...xgb).toFixed(3)}–${Math.max(...xgb).toFixed(3)}], WoE logistic ${mean(lr).toFixed(4)} [${Math.min(...lr).toFixed(3)}–${Math.max(...lr).toFixed(3)}], max |Δpd| ${Math.max(...parity).toExponential(2)}, rounds ${Math.min(...rounds)}–${Math.max(...rounds)}, ${((Date.now() - t0) / 1000 / seeds).toFixed(1)} s per run, ${seeds} seeds${pub}`)
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
