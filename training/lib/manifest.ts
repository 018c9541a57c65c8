/** The model manifest (DESIGN §8): the contract between a trained artifact and the serving registry. */
import type { Grade, ModelKind, TrainingConfig } from './config.js'
import type { PsiBaseline, Scaling } from './scorecard.js'
import type { OneHotEncoding } from './tabular.js'

export interface SplitMetrics { auc: number; ks: number; gini: number; brier: number; rows: number; badRate: number }

export interface ModelManifest {
  schemaVersion: 1
  name: string
  version: string
  kind: ModelKind
  createdAt: string
  /** Model input order: column j of the input tensor is features[j]. */
  features: string[]
  input: { name: string; dtype: 'float32'; shape: ['N', number] }
  missing: { encoding: 'NaN'; note: string }
  outputs: { margin: string; pd: string; shape: ['N', 1]; marginMeaning: string }
  objective: string
  baseMargin: number
  scorecard: Scaling
  grades: Grade[]
  /** Catalogue direction per feature (+1: larger = riskier), and whether it was enforced in training. */
  monotone: { enforced: boolean; directions: Record<string, number> }
  /** Development-sample (training split) distributions for PSI of the score and CSI per feature. */
  baseline: { sample: 'train'; score: PsiBaseline; pd: PsiBaseline; features: Record<string, PsiBaseline> }
  training: {
    description: string
    rows: number
    trainRows: number
    testRows: number
    badRate: number
    seed: number
    target?: { column: string; positive: string; negative: string }
    categorical: OneHotEncoding[]
    notes: string[]
    hyperparameters: TrainingConfig['xgboost']
    rounds: { max: number; used: number; method: string }
  }
  metrics: { test: SplitMetrics; train: SplitMetrics; logisticBaseline: { test: SplitMetrics } }
  /** Export gate results; monotoneSweep checks each constrained feature across all its split thresholds. */
  parity: { rows: number; maxPdDiff: number; maxMarginDiff: number; tolerance: number; monotoneSweep: { rows: number; violations: number } }
  artifact: { file: 'model.onnx'; sha256: string; bytes: number; xgboostBinarySha256: string; trees: number }
  woeConvention: string
}

/** The manifest fields also stored in the ONNX metadata_props, so the artifact explains itself. */
export function onnxMetadata(m: Omit<ModelManifest, 'artifact' | 'metrics' | 'parity' | 'baseline' | 'training'>, xgbSha: string): Record<string, string> {
  return {
    'credit_engine.name': m.name,
    'credit_engine.version': m.version,
    'credit_engine.kind': m.kind,
    'credit_engine.features': JSON.stringify(m.features),
    'credit_engine.input_name': m.input.name,
    'credit_engine.missing_value': 'NaN',
    'credit_engine.outputs': JSON.stringify({ margin: m.outputs.margin, pd: m.outputs.pd }),
    'credit_engine.objective': m.objective,
    'credit_engine.base_margin': String(m.baseMargin),
    'credit_engine.scorecard': JSON.stringify({ basePoints: m.scorecard.basePoints, baseOdds: m.scorecard.baseOdds, pdo: m.scorecard.pdo, offset: m.scorecard.offset, factor: m.scorecard.factor, formula: m.scorecard.formula }),
    'credit_engine.monotone': JSON.stringify(m.monotone),
    'credit_engine.source_xgboost_sha256': xgbSha,
    'credit_engine.node_hitrates': 'cover (sum_hess) per node, for TreeSHAP',
  }
}
