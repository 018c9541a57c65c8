/**
 * Training CLI (`npm run train -- ...`); progress on stderr, exit code 1 on bad input with nothing written.
 *   --csv <file.csv|file.arff> --target <col> [--positive v] [--drop a,b] [--categorical a,b] [--no-header]
 *   [--sep comma|semicolon|tab|space|<char>] [--test-fraction 0.3] [--seed S] [--max-rounds N]
 *   [--early-stopping N] [--name n] [--version v] [--config training/configs/x.json] --out <dir>
 * With --config and no --csv the config's `data.source` names a registered matrix source (registerDataSource).
 */
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DEFAULT_CONFIG, parseTrainingConfig, type TrainingConfig } from './lib/config.js'
import { TrainingInputError } from './lib/errors.js'
import { readTableText, type Separator } from './lib/table-reader.js'
import { prepareTable } from './lib/tabular.js'
import { trainFromMatrix, type TrainResult } from './train-from-matrix.js'
import { createSyntheticSource } from './synthetic/source.js'

export interface CliOptions {
  csv?: string
  target?: string
  positive?: string
  drop: string[]
  categorical: string[]
  header: boolean
  sep?: Separator
  testFraction?: number
  seed?: number
  maxRounds?: number
  earlyStopping?: number
  name?: string
  version?: string
  config?: string
  out: string
}

/** A source of a numeric matrix for config-driven runs (the synthetic portfolio plugs in here). */
export type MatrixSource = (config: TrainingConfig, log: (s: string) => void) => Promise<{
  X: Float64Array | number[][]
  y: ArrayLike<number>
  featureNames: string[]
  description?: string
  extraReport?: string
  monotone?: number[]
}>

const dataSources = new Map<string, MatrixSource>()

export function registerDataSource(name: string, source: MatrixSource): void {
  dataSources.set(name, source)
}

registerDataSource('synthetic-portfolio', createSyntheticSource())

const list = (v: string): string[] => v.split(',').map((s) => s.trim()).filter((s) => s !== '')

export function parseArgs(argv: readonly string[]): CliOptions {
  const o: Partial<CliOptions> & { drop: string[]; categorical: string[]; header: boolean } = { drop: [], categorical: [], header: true }
  const number = (flag: string, v: string): number => {
    const n = Number(v)
    if (v.trim() === '' || !Number.isFinite(n)) throw new TrainingInputError('bad_option', `${flag} needs a number, got '${v}'`)
    return n
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    if (flag === '--no-header') { o.header = false; continue }
    const value = argv[i + 1]
    if (value === undefined || value.startsWith('--')) throw new TrainingInputError('bad_option', `${flag} needs a value`)
    i++
    switch (flag) {
      case '--csv': o.csv = value; break
      case '--target': o.target = value; break
      case '--positive': o.positive = value; break
      case '--drop': o.drop.push(...list(value)); break
      case '--categorical': o.categorical.push(...list(value)); break
      case '--sep': o.sep = value; break
      case '--test-fraction': o.testFraction = number(flag, value); break
      case '--seed': o.seed = number(flag, value); break
      case '--max-rounds': o.maxRounds = number(flag, value); break
      case '--early-stopping': o.earlyStopping = number(flag, value); break
      case '--name': o.name = value; break
      case '--version': o.version = value; break
      case '--config': o.config = value; break
      case '--out': o.out = value; break
      default: throw new TrainingInputError('bad_option', `unknown option ${flag}`)
    }
  }
  if (!o.out) throw new TrainingInputError('bad_option', '--out <dir> is required')
  if (!o.csv && !o.config) throw new TrainingInputError('bad_option', 'give --csv <file> (with --target) or --config <file>')
  if (o.csv && !o.target) throw new TrainingInputError('bad_option', '--target <column> is required with --csv')
  return o as CliOptions
}

export async function loadConfig(path: string): Promise<TrainingConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new TrainingInputError('bad_config', `cannot read config ${path}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    throw new TrainingInputError('bad_config', `${path} is not valid JSON: ${(e as Error).message}`)
  }
  return parseTrainingConfig(json, path)
}

function applyOverrides(base: TrainingConfig, o: CliOptions): TrainingConfig {
  const c = structuredClone(base)
  const checked = parseTrainingConfig({
    name: o.name ?? c.name, version: o.version ?? c.version, kind: c.kind,
    split: { ...c.split, ...(o.testFraction !== undefined && { testFraction: o.testFraction }), ...(o.seed !== undefined && { seed: o.seed }) },
    xgboost: { ...c.xgboost, ...(o.maxRounds !== undefined && { maxRounds: o.maxRounds }), ...(o.earlyStopping !== undefined && { earlyStoppingRounds: o.earlyStopping }) },
  }, 'command-line options')
  return { ...c, name: checked.name, version: checked.version, split: checked.split, xgboost: checked.xgboost }
}

export async function runCli(argv: readonly string[], log: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): Promise<TrainResult> {
  const o = parseArgs(argv)
  const fromFile = o.config ? await loadConfig(o.config) : { ...DEFAULT_CONFIG, name: o.csv ? basename(o.csv).replace(/\.[^.]*$/, '') : DEFAULT_CONFIG.name }
  const config = applyOverrides(fromFile, o)
  if (!o.csv) {
    const sourceName = typeof config.data?.source === 'string' ? config.data.source : undefined
    const source = sourceName ? dataSources.get(sourceName) : undefined
    if (!source) throw new TrainingInputError('no_data_source', `config ${o.config} needs data source '${sourceName ?? '(data.source not set)'}', which is not available; pass --csv to train on a file`)
    const d = await source(config, log)
    return trainFromMatrix({ ...d, config, out: o.out, extraReport: d.extraReport, dataDescription: d.description, progress: log })
  }
  let text: string
  try {
    text = await readFile(o.csv, 'utf8')
  } catch {
    throw new TrainingInputError('file_not_found', `cannot read ${o.csv}`)
  }
  log(`reading ${o.csv}`)
  const raw = readTableText(text, { header: o.header, sep: o.sep, fileName: o.csv })
  const table = prepareTable(raw, { target: o.target!, positive: o.positive, drop: o.drop, categorical: o.categorical })
  for (const n of table.notes) log(`note: ${n}`)
  let { X, featureNames } = table
  if (config.features.length > 0) {
    // A config with catalogue names selects and orders those columns of the file.
    const missing = config.features.filter((f) => !table.featureNames.includes(f))
    if (missing.length > 0) throw new TrainingInputError('unknown_column', `config features not found as numeric columns in ${o.csv}: ${missing.join(', ')}`)
    const idx = config.features.map((f) => table.featureNames.indexOf(f))
    const F = table.featureNames.length
    X = new Float64Array(table.rows * idx.length)
    for (let r = 0; r < table.rows; r++) idx.forEach((j, k) => { X[r * idx.length + k] = table.X[r * F + j]! })
    featureNames = config.features
  }
  const description = `${basename(o.csv)} (${raw.format === 'arff' ? 'ARFF' : 'delimited text'}, ${table.rows} rows); target '${table.target.column}', bad = '${table.target.positive}', good = '${table.target.negative}'`
  return trainFromMatrix({
    X, y: table.y, featureNames, config, out: o.out, dataDescription: description, notes: table.notes,
    target: table.target, categorical: table.categorical, progress: log,
  })
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (r) => process.stderr.write(`done: test AUC ${r.metrics.auc.toFixed(4)}, KS ${r.metrics.ks.toFixed(4)}\n`),
    (e: unknown) => {
      const err = e as Error & { code?: string }
      process.stderr.write(`error${err.code ? ` [${err.code}]` : ''}: ${err.message}\n`)
      process.exitCode = 1
    },
  )
}
