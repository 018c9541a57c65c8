/** report.md and its SVG plots, written next to the model. */
import type { ParsedXgboostModel } from './xgb-binary.js'
import type { ModelManifest } from './manifest.js'
import type { CalibrationRow } from './scorecard.js'
import type { WoeLogisticModel } from './woe-logistic.js'
import { calibrationSvg, ksSvg, rocSvg, scoreDistributionSvg } from './svg-plots.js'

export interface FeatureImportance { feature: string; gain: number; cover: number; splits: number }

/** Total split gain (loss_chg) and cover per feature over all trees, sorted by gain. */
export function featureImportance(model: ParsedXgboostModel, featureNames: readonly string[]): FeatureImportance[] {
  const rows = featureNames.map((feature) => ({ feature, gain: 0, cover: 0, splits: 0 }))
  for (const tree of model.trees) {
    for (const n of tree.nodes) {
      if (n.isLeaf) continue
      const r = rows[n.featureIndex]!
      r.gain += n.gain
      r.cover += n.cover
      r.splits++
    }
  }
  return rows.filter((r) => r.splits > 0).sort((a, b) => b.gain - a.gain)
}

export interface ReportInput {
  manifest: ModelManifest
  importance: FeatureImportance[]
  calibration: CalibrationRow[]
  logistic: WoeLogisticModel
  test: { y: Uint8Array; pd: Float32Array; score: Float64Array; logisticPd: Float64Array }
  /** Extra sections from the data source (e.g. the synthetic portfolio's description). */
  extra?: string
}

const f3 = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a')
const f4 = (v: number): string => (Number.isFinite(v) ? v.toFixed(4) : 'n/a')

/** Returns the files to write: report.md plus the SVGs it links. */
export function buildReport(r: ReportInput): Record<string, string> {
  const m = r.manifest
  const t = m.metrics.test
  const lr = m.metrics.logisticBaseline.test
  const totalGain = r.importance.reduce((s, i) => s + i.gain, 0) || 1
  const topIv = r.logistic.binnings.map((b, j) => ({ f: b.feature, iv: b.iv, c: r.logistic.coefficients[j]! }))
    .sort((a, b) => b.iv - a.iv).slice(0, 15)
  const md = [
    `# ${m.name} ${m.version}: evaluation report`,
    '',
    `Kind: ${m.kind}. Trained ${m.createdAt}. ${m.training.description}`,
    '',
    '## Data',
    `- rows: ${m.training.rows} (train ${m.training.trainRows}, test ${m.training.testRows}, stratified, seed ${m.training.seed}); bad rate ${f4(m.training.badRate)}`,
    `- features: ${m.features.length}${m.training.target ? `; target \`${m.training.target.column}\`, bad = \`${m.training.target.positive}\`` : ''}`,
    ...m.training.notes.map((n) => `- ${n}`),
    '',
    '## Discrimination and accuracy (test split)',
    '| model | AUC | Gini | KS | Brier |',
    '|---|---|---|---|---|',
    `| XGBoost (exported ONNX) | ${f4(t.auc)} | ${f4(t.gini)} | ${f4(t.ks)} | ${f4(t.brier)} |`,
    `| WoE logistic baseline | ${f4(lr.auc)} | ${f4(lr.gini)} | ${f4(lr.ks)} | ${f4(lr.brier)} |`,
    `| XGBoost on the training split | ${f4(m.metrics.train.auc)} | ${f4(m.metrics.train.gini)} | ${f4(m.metrics.train.ks)} | ${f4(m.metrics.train.brier)} |`,
    '',
    '![ROC](roc.svg) ![KS](ks.svg)',
    '',
    '## Training',
    `- ml-xgboost (XGBoost 0.7x, WebAssembly), binary:logistic, tree_method ${m.training.hyperparameters.treeMethod}, max_depth ${m.training.hyperparameters.maxDepth}, eta ${m.training.hyperparameters.eta}, subsample ${m.training.hyperparameters.subsample}, colsample_bytree ${m.training.hyperparameters.colsampleBytree}, min_child_weight ${m.training.hyperparameters.minChildWeight}, lambda ${m.training.hyperparameters.lambda}`,
    `- rounds: ${m.training.rounds.used} of at most ${m.training.rounds.max}. ${m.training.rounds.method}`,
    `- monotone constraints${m.monotone.enforced ? ` (trained with the exact updater; sweep over every split threshold on ${m.parity.monotoneSweep.rows} rows: ${m.parity.monotoneSweep.violations} violations)` : ''}: ${m.monotone.enforced ? Object.entries(m.monotone.directions).filter(([, d]) => d !== 0).map(([f, d]) => `${f} ${d > 0 ? '+' : '−'}`).join(', ') : 'none'}`,
    `- export parity on ${m.parity.rows} golden rows (threshold, missing and sentinel rows included): max |Δpd| ${m.parity.maxPdDiff.toExponential(2)} vs ml-xgboost, max |Δmargin| ${m.parity.maxMarginDiff.toExponential(2)} vs the parsed trees (gate ${m.parity.tolerance})`,
    '',
    '## Scorecard scaling',
    `score = ${m.scorecard.offset.toFixed(2)} − ${m.scorecard.factor.toFixed(2)} · margin (base ${m.scorecard.basePoints} points at bad:good odds ${f4(m.scorecard.baseOdds)}, PDO ${m.scorecard.pdo}).`,
    '',
    '![Score distribution](score-distribution.svg)',
    '',
    '## Calibration by grade (test split)',
    '| grade | PD upper bound | count | bads | expected PD | observed rate |',
    '|---|---|---|---|---|---|',
    ...r.calibration.map((c) => `| ${c.grade} | ${c.maxPd} | ${c.count} | ${c.bads} | ${f4(c.expectedPd)} | ${f4(c.observedRate)} |`),
    '',
    '![Calibration](calibration.svg)',
    '',
    '## Feature importance (total split gain from the parsed trees)',
    '| feature | gain share | cover | splits |',
    '|---|---|---|---|',
    ...r.importance.slice(0, 25).map((i) => `| ${i.feature} | ${f3(i.gain / totalGain)} | ${i.cover.toFixed(0)} | ${i.splits} |`),
    '',
    '## Logistic baseline: information value (top 15)',
    `WoE = ln(bad% / good%) (positive = riskier), up to 10 quantile bins plus a missing bin; IRLS with a small ridge.`,
    '',
    '| feature | IV | coefficient |',
    '|---|---|---|',
    ...topIv.map((i) => `| ${i.f} | ${f3(i.iv)} | ${f3(i.c)} |`),
    ...(r.extra ? ['', r.extra] : []),
    '',
  ].join('\n')
  return {
    'report.md': md,
    'roc.svg': rocSvg([{ name: `XGBoost ${f3(t.auc)}`, scores: r.test.pd, color: '#c0392b' }, { name: `WoE logistic ${f3(lr.auc)}`, scores: r.test.logisticPd, color: '#2e86c1' }], r.test.y),
    'ks.svg': ksSvg(r.test.pd, r.test.y, t.ks),
    'score-distribution.svg': scoreDistributionSvg(r.test.score, r.test.y),
    'calibration.svg': calibrationSvg(r.calibration),
  }
}
