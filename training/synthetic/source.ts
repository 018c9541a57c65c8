/**
 * Data source "synthetic-portfolio" for config-driven training (`data.source` in training/configs/*.json):
 * seed (or reuse) a portfolio database, run the graph, optionally learn GNN embeddings on the TRAIN split's labels,
 * stream the serving feature assembly into a matrix and join labels from synth_truth. Alongside the matrix it
 * measures the oracle AUC and runs the comparisons the report states (with/without GNN, per-source ensemble).
 *
 * config.data: { enterprises (or rows), seed (portfolio seed, default 42), asOf (default 2026-10-31),
 *   label: 'defaulted' | 'responded', gnn?: boolean (default: when the features list gnnEmbedding*),
 *   gnnEpochs?, experiments?: boolean (default true), ensemble?: boolean (default true for credit-risk),
 *   compareRounds? (default 150) }
 */
import type { MatrixSource } from '../cli.js'
import type { TrainingConfig } from '../lib/config.js'
import { stratifiedSplit } from '../lib/split.js'
import type { Matrix } from '../lib/tree-score.js'
import { trainEnsemble, type EnsembleResult } from './ensemble.js'
import { columnsAuc, f4 } from './experiments.js'
import { computeGnnFeatures, GNN_FEATURES } from './gnn.js'
import { buildPortfolioMatrix, readTruth, oracleAuc, type PortfolioLabel, type PortfolioMatrix } from './matrix.js'
import { openPortfolioDb } from './portfolio-db.js'

export interface SyntheticSettings {
  enterprises: number
  seed: number
  asOf: string
  label: PortfolioLabel
  gnn: boolean
  gnnEpochs: number
  experiments: boolean
  ensemble: boolean
  compareRounds: number
}

export function syntheticSettings(config: TrainingConfig): SyntheticSettings {
  const d = config.data ?? {}
  const int = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : dflt)
  const label = d.label ?? (config.kind === 'marketing-response' ? 'responded' : 'defaulted')
  if (label !== 'defaulted' && label !== 'responded') throw new Error(`data.label must be 'defaulted' or 'responded', got ${JSON.stringify(label)}`)
  const usesGnn = config.features.some((f) => f.startsWith('gnnEmbedding'))
  return {
    enterprises: int(d.enterprises ?? d.rows, 100_000), seed: int(d.seed, 42),
    asOf: typeof d.asOf === 'string' ? d.asOf : '2026-10-31', label,
    gnn: typeof d.gnn === 'boolean' ? d.gnn && usesGnn : usesGnn, gnnEpochs: int(d.gnnEpochs, 8),
    experiments: d.experiments !== false, ensemble: typeof d.ensemble === 'boolean' ? d.ensemble : config.kind === 'credit-risk',
    compareRounds: int(d.compareRounds, 150),
  }
}

export interface SyntheticRun {
  settings: SyntheticSettings
  matrix: PortfolioMatrix
  trainRows: number[]
  testRows: number[]
  oracleAuc?: number
  gnn?: { seconds: number; written: number; trainLoss: number }
  compare: { allFeatures?: number; withoutGnn?: number; ensemble?: number }
  ensemble?: EnsembleResult
  seconds: { data: number; gnn: number; experiments: number }
}

export interface SourceOptions {
  /** Database location override (tests); otherwise TRAIN_DATABASE_URL or .tmp/train-pglite-<N>-<seed>. */
  pgliteDir?: string
  /** '' forces PGlite even when TRAIN_DATABASE_URL is set (tests). */
  databaseUrl?: string
  /** Receives everything the source computed, for artifacts beyond the matrix (ensemble, oracle). */
  onRun?: (run: SyntheticRun) => void
}

export async function runSyntheticPortfolio(config: TrainingConfig, log: (s: string) => void, o: SourceOptions = {}): Promise<SyntheticRun> {
  const s = syntheticSettings(config)
  const t0 = Date.now()
  const p = await openPortfolioDb({ enterprises: s.enterprises, seed: s.seed, asOf: s.asOf, pgliteDir: o.pgliteDir, databaseUrl: o.databaseUrl, log })
  try {
    // The split is a pure function of the labels (in USCC order) and the seed, so it is known before the matrix:
    // the GNN learns from exactly the rows trainFromMatrix will train on.
    const truth = await readTruth(p.db)
    const labels = s.label === 'defaulted' ? truth.defaulted : truth.responded
    const [trainRows, testRows] = stratifiedSplit(labels, config.split.testFraction, config.split.seed)
    let gnn: SyntheticRun['gnn']
    const tg = Date.now()
    if (s.gnn) {
      const loaded = await p.graph.ensureLoaded()
      const trainLabels = new Map(trainRows.map((r) => [truth.usccs[r]!, labels[r]!]))
      const r = await computeGnnFeatures(p.db, loaded, { trainLabels, seed: config.split.seed, epochs: s.gnnEpochs, log })
      gnn = { seconds: r.seconds, written: r.written, trainLoss: r.trainLoss }
    }
    const gnnSeconds = (Date.now() - tg) / 1000
    const matrix = await buildPortfolioMatrix(p.db, { asOf: s.asOf, features: config.features, label: s.label, log })
    if (matrix.usccs.length !== truth.usccs.length || matrix.usccs.some((u, i) => u !== truth.usccs[i])) {
      throw new Error('the feature stream and synth_truth disagree on the enterprises or their order')
    }
    const dataSeconds = (Date.now() - t0) / 1000 - gnnSeconds
    const run: SyntheticRun = { settings: s, matrix, trainRows, testRows, compare: {}, gnn, seconds: { data: dataSeconds, gnn: gnnSeconds, experiments: 0 } }
    if (s.label === 'defaulted') run.oracleAuc = oracleAuc(matrix.y, matrix.truePd, config.split.testFraction, config.split.seed).auc
    if (s.experiments) {
      const te = Date.now()
      const m: Matrix = { data: matrix.X, rows: matrix.rows, cols: matrix.featureNames.length }
      const cmp = { params: { ...config.xgboost, treeMethod: 'hist' as const }, rounds: s.compareRounds, seed: config.split.seed }
      const all = matrix.featureNames.map((_, j) => j)
      run.compare.allFeatures = await columnsAuc(m, matrix.y, all, trainRows, testRows, cmp)
      log(`compare: all features test AUC ${f4(run.compare.allFeatures)}`)
      const noGnn = all.filter((j) => !GNN_FEATURES.includes(matrix.featureNames[j]!))
      if (noGnn.length < all.length) {
        run.compare.withoutGnn = await columnsAuc(m, matrix.y, noGnn, trainRows, testRows, cmp)
        log(`compare: without GNN embeddings test AUC ${f4(run.compare.withoutGnn)}`)
      }
      if (s.ensemble) {
        run.ensemble = await trainEnsemble({ m, y: matrix.y, featureNames: matrix.featureNames, trainRows, testRows, params: cmp.params, rounds: cmp.rounds, seed: cmp.seed, log })
        run.compare.ensemble = run.ensemble.testAuc
      }
      run.seconds.experiments = (Date.now() - te) / 1000
    }
    o.onRun?.(run)
    return run
  } finally {
    await p.close()
  }
}

export function describeRun(run: SyntheticRun): string {
  const s = run.settings
  return `Synthetic SME portfolio: ${s.enterprises} enterprises, portfolio seed ${s.seed}, as of ${s.asOf}; label '${s.label}' from synth_truth; features from the serving assembly (streamFeatures)${s.gnn ? ' plus SIGN graph embeddings' : ''}`
}

/** Markdown for report.md: data, oracle, GNN and ensemble comparisons (same split, same hyper-parameters). */
export function runReport(run: SyntheticRun): string {
  const s = run.settings
  const c = run.compare
  const lines = [
    '## Synthetic portfolio', '',
    `- ${s.enterprises} enterprises (portfolio seed ${s.seed}, as of ${s.asOf}), ${run.matrix.featureNames.length} model columns; train ${run.trainRows.length} / test ${run.testRows.length} rows.`,
    `- Reproduce: \`npx tsx training/train-synthetic.ts --config <this config> --out <dir>\` (deterministic from config + seeds).`,
    `- Data preparation ${run.seconds.data.toFixed(0)} s, GNN ${run.seconds.gnn.toFixed(0)} s, comparisons ${run.seconds.experiments.toFixed(0)} s.`,
  ]
  if (run.oracleAuc !== undefined) lines.push(`- **Oracle AUC** (synth_truth true PD on the same test rows): ${f4(run.oracleAuc)}; acceptance: model AUC ≥ 0.95 × oracle = ${f4(0.95 * run.oracleAuc)}.`)
  if (c.allFeatures !== undefined) {
    lines.push('', `### Comparisons (XGBoost, ${s.compareRounds} rounds, same hyper-parameters and split, no monotone constraints, test AUC)`, '', '| model | test AUC |', '|---|---|')
    lines.push(`| one model, all features | ${f4(c.allFeatures)} |`)
    if (c.withoutGnn !== undefined) lines.push(`| one model, without gnnEmbedding0..15 | ${f4(c.withoutGnn)} |`)
    if (run.ensemble) {
      lines.push(`| per-source stack (logistic on 5-fold out-of-fold margins) | ${f4(c.ensemble)} |`)
      for (const src of run.ensemble.sources) lines.push(`| &nbsp;&nbsp;${src.output} alone (${src.columns.length} columns) | ${f4(src.testAuc)} |`)
      lines.push('', `Stacker: margin = ${run.ensemble.stacker.bias.toFixed(4)} ${run.ensemble.sources.map((src, i) => `+ ${run.ensemble!.stacker.weights[i]!.toFixed(4)}·${src.output}`).join(' ')}. Composed ONNX graph parity on ${run.ensemble.parity.rows} golden rows: max |Δpd| ${run.ensemble.parity.maxPdDiff.toExponential(2)} (gate 1e-6).`)
    }
    if (run.gnn) lines.push('', `GNN (SIGN, [X, ÂX, Â²X] → 64 → 16 → 1, WASM): ${run.gnn.written} enterprises embedded in ${run.gnn.seconds.toFixed(0)} s, final training loss ${run.gnn.trainLoss.toFixed(4)}; trained on TRAIN rows' labels only.`)
  }
  return lines.join('\n')
}

/** The MatrixSource for the CLI; `onRun` sees the whole run (oracle, comparisons, ensemble). */
export function createSyntheticSource(o: SourceOptions = {}): MatrixSource {
  return async (config, log) => {
    const run = await runSyntheticPortfolio(config, log, o)
    return {
      X: run.matrix.X, y: run.matrix.y, featureNames: run.matrix.featureNames,
      description: describeRun(run), extraReport: runReport(run),
    }
  }
}

export const SYNTHETIC_SOURCE = 'synthetic-portfolio'
