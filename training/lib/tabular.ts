/**
 * Raw string table → numeric matrix + 0/1 labels for any tabular credit dataset.
 * - Missing: empty, `NA`, `?` and `NaN` (any case) become NaN.
 * - Categorical columns (ARFF nominal/string, `--categorical`, or a column that is mostly non-numeric) are
 *   one-hot encoded as `col=value` indicators, levels ordered by frequency; a missing value is NaN in every
 *   indicator so the trees route it by their learnt default; an unseen level at serving is all zeros.
 *   One-hot rather than codes: arbitrary code order would invent an ordering the trees then split on.
 * - A mostly-numeric column with a non-numeric value is an error naming the column, line and value.
 * - Columns with an empty header, and columns holding exactly 1..n (or 0..n-1) in file order, are row ids: dropped.
 */
import { TrainingInputError } from './errors.js'
import type { RawTable } from './table-reader.js'

export interface TabularOptions {
  target: string
  /** The label value that means "bad" (default); without it labels must be 0/1 with 1 = bad. */
  positive?: string
  drop?: string[]
  categorical?: string[]
}

export interface OneHotEncoding { column: string; levels: string[] }

export interface PreparedTable {
  X: Float64Array
  rows: number
  featureNames: string[]
  y: Uint8Array
  /** Human-readable notes about what was inferred or dropped. */
  notes: string[]
  categorical: OneHotEncoding[]
  target: { column: string; positive: string; negative: string }
}

const MISSING = new Set(['', 'na', '?', 'nan'])
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
/** Below this share of numeric values a column is read as categorical instead of reporting junk. */
const NUMERIC_SHARE = 0.9
const MAX_LEVELS = 200

export const isMissingToken = (s: string): boolean => MISSING.has(s.trim().toLowerCase())

export function prepareTable(raw: RawTable, opts: TabularOptions): PreparedTable {
  const notes: string[] = []
  if (raw.rows.length === 0) throw new TrainingInputError('no_rows', 'the file has a header but no data rows')
  const targetIdx = raw.columns.indexOf(opts.target)
  if (targetIdx < 0) {
    const q = (cs: string[]) => cs.map((c) => `'${c}'`).join(', ')
    // The target is usually the last column, so long lists keep both ends.
    const shown = raw.columns.length <= 20 ? q(raw.columns) : `${q(raw.columns.slice(0, 8))}, … (${raw.columns.length - 16} more) …, ${q(raw.columns.slice(-8))}`
    throw new TrainingInputError('target_not_found', `target column '${opts.target}' is not in the file; columns are: ${shown}`)
  }
  for (const d of opts.drop ?? []) {
    if (!raw.columns.includes(d)) throw new TrainingInputError('unknown_column', `--drop names column '${d}', which is not in the file`)
  }
  for (const c of opts.categorical ?? []) {
    if (!raw.columns.includes(c)) throw new TrainingInputError('unknown_column', `--categorical names column '${c}', which is not in the file`)
  }
  const { y, positive, negative } = readLabels(raw, targetIdx, opts.positive)

  const featureNames: string[] = []
  const blocks: Array<{ kind: 'num'; col: number } | { kind: 'cat'; col: number; levels: string[] }> = []
  const categorical: OneHotEncoding[] = []
  raw.columns.forEach((name, col) => {
    if (col === targetIdx) return
    if (name === '') { notes.push(`column ${col + 1} has an empty header: treated as a row id and dropped`); return }
    if (opts.drop?.includes(name)) { notes.push(`column '${name}' dropped (--drop)`); return }
    const forcedCat = opts.categorical?.includes(name) || raw.arffTypes?.get(name) === 'nominal' || raw.arffTypes?.get(name) === 'string'
    if (!forcedCat && isNumericColumn(raw, col)) {
      if (isRowId(raw, col)) { notes.push(`column '${name}' holds the row number (1..n or 0..n-1): treated as a row id and dropped`); return }
      blocks.push({ kind: 'num', col })
      featureNames.push(name)
      return
    }
    const levels = levelsOf(raw, col)
    if (levels.length > MAX_LEVELS) {
      throw new TrainingInputError('too_many_levels', `categorical column '${name}' has ${levels.length} distinct values (max ${MAX_LEVELS}); drop it with --drop`)
    }
    if (!forcedCat) notes.push(`column '${name}' is non-numeric: one-hot encoded (${levels.length} levels)`)
    blocks.push({ kind: 'cat', col, levels })
    categorical.push({ column: name, levels })
    for (const l of levels) featureNames.push(`${name}=${l}`)
  })
  if (featureNames.length === 0) throw new TrainingInputError('no_features', 'no feature columns remain after dropping the target and row ids')

  const n = raw.rows.length
  const F = featureNames.length
  const X = new Float64Array(n * F)
  for (let r = 0; r < n; r++) {
    const row = raw.rows[r]!
    let j = 0
    for (const b of blocks) {
      const cell = row[b.col]!.trim()
      if (b.kind === 'num') {
        X[r * F + j++] = isMissingToken(cell) ? Number.NaN : Number(cell)
      } else {
        const missing = isMissingToken(cell)
        for (const l of b.levels) X[r * F + j++] = missing ? Number.NaN : cell === l ? 1 : 0
      }
    }
  }
  return { X, rows: n, featureNames, y, notes, categorical, target: { column: opts.target, positive, negative } }
}

function readLabels(raw: RawTable, targetIdx: number, positiveOpt: string | undefined) {
  const name = raw.columns[targetIdx]!
  const values = raw.rows.map((r, i) => {
    const v = r[targetIdx]!.trim()
    if (isMissingToken(v)) throw new TrainingInputError('missing_target', `target '${name}' is missing at line ${raw.lines[i]}`)
    return v
  })
  const distinct = [...new Set(values)].sort()
  if (distinct.length === 1) throw new TrainingInputError('constant_target', `target '${name}' is constant (every row is '${distinct[0]}'): nothing to learn`)
  if (distinct.length > 2) {
    throw new TrainingInputError('not_binary', `target '${name}' has ${distinct.length} classes (${distinct.slice(0, 5).join(', ')}${distinct.length > 5 ? ', …' : ''}); a credit model needs exactly two`)
  }
  let positive: string
  if (positiveOpt !== undefined) {
    // '1' and '1.0' name the same class when labels are numeric
    const match = distinct.find((d) => d === positiveOpt || (NUMBER.test(d) && NUMBER.test(positiveOpt) && Number(d) === Number(positiveOpt)))
    if (match === undefined) throw new TrainingInputError('bad_positive', `--positive '${positiveOpt}' is not a label of '${name}' (labels: ${distinct.join(', ')})`)
    positive = match
  } else {
    const one = distinct.find((d) => NUMBER.test(d) && Number(d) === 1)
    const zero = distinct.find((d) => NUMBER.test(d) && Number(d) === 0)
    if (one === undefined || zero === undefined) {
      throw new TrainingInputError('bad_positive', `target '${name}' has labels ${distinct.join(' and ')}: pass --positive <label of the bad class>`)
    }
    positive = one
  }
  const negative = distinct.find((d) => d !== positive)!
  return { y: Uint8Array.from(values, (v) => (v === positive ? 1 : 0)), positive, negative }
}

function isNumericColumn(raw: RawTable, col: number): boolean {
  let numeric = 0
  let present = 0
  let firstBad = -1
  raw.rows.forEach((r, i) => {
    const v = r[col]!.trim()
    if (isMissingToken(v)) return
    present++
    if (NUMBER.test(v)) numeric++
    else if (firstBad < 0) firstBad = i
  })
  if (present === 0 || numeric === present) return true
  if (numeric / present >= NUMERIC_SHARE) {
    const row = raw.rows[firstBad]!
    throw new TrainingInputError('non_numeric', `column '${raw.columns[col]}' is numeric but line ${raw.lines[firstBad]} (data row ${firstBad + 1}) holds '${row[col]!.trim().slice(0, 40)}'`)
  }
  return false
}

function isRowId(raw: RawTable, col: number): boolean {
  const first = Number(raw.rows[0]![col])
  // Small files are left alone: a short column 1,2,3 is as likely a feature as an id.
  if (raw.rows.length < 20 || (first !== 0 && first !== 1)) return false
  return raw.rows.every((r, i) => r[col]!.trim() !== '' && Number(r[col]) === first + i)
}

function levelsOf(raw: RawTable, col: number): string[] {
  const counts = new Map<string, number>()
  for (const r of raw.rows) {
    const v = r[col]!.trim()
    if (!isMissingToken(v)) counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k)
}
