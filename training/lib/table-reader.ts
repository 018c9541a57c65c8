/**
 * Reads delimited text (CSV, semicolon, tab, whitespace) and Weka ARFF into a table of strings. Interpretation
 * (types, missing values, target) happens in tabular.ts so the two concerns can be tested separately.
 */
import { TrainingInputError } from './errors.js'

export interface RawTable {
  columns: string[]
  rows: string[][]
  /** 1-based line number in the file of each row, for error messages. */
  lines: number[]
  format: 'delimited' | 'arff'
  /** ARFF attribute types by column: 'numeric' | 'nominal' | 'string'. */
  arffTypes?: Map<string, 'numeric' | 'nominal' | 'string'>
}

export type Separator = 'comma' | 'semicolon' | 'tab' | 'space' | string

export interface ReadOptions {
  header?: boolean
  sep?: Separator
  /** File name, used to recognise `.arff`. */
  fileName?: string
}

const SEPARATORS: Record<string, string> = { comma: ',', semicolon: ';', tab: '\t', space: ' ' }

export function readTableText(text: string, opts: ReadOptions = {}): RawTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (opts.fileName?.toLowerCase().endsWith('.arff') || /^\s*(%[^\n]*\n\s*)*@relation/i.test(body)) return readArff(body)
  const lines = body.split(/\r\n|\n|\r/)
  const sep = resolveSeparator(opts.sep, lines.find((l) => l.trim() !== '') ?? '')
  const records: Array<{ cells: string[]; line: number }> = []
  lines.forEach((l, i) => {
    if (l.trim() === '') return
    records.push({ cells: sep === ' ' ? l.trim().split(/\s+/) : splitDelimited(l, sep, i + 1), line: i + 1 })
  })
  if (records.length === 0) throw new TrainingInputError('no_rows', 'the file is empty: no header and no rows')
  const width = records[0]!.cells.length
  let columns: string[]
  if (opts.header === false) {
    columns = Array.from({ length: width }, (_, i) => `c${i + 1}`)
  } else {
    columns = records.shift()!.cells.map((c) => c.trim())
  }
  for (const r of records) {
    if (r.cells.length !== columns.length) {
      throw new TrainingInputError('ragged_row', `line ${r.line} has ${r.cells.length} fields but the header has ${columns.length}`)
    }
  }
  return { columns, rows: records.map((r) => r.cells), lines: records.map((r) => r.line), format: 'delimited' }
}

function resolveSeparator(sep: Separator | undefined, firstLine: string): string {
  if (sep !== undefined) {
    const s = SEPARATORS[sep] ?? sep
    if (s.length !== 1) throw new TrainingInputError('bad_option', `--sep must be comma, semicolon, tab, space or one character, got '${sep}'`)
    return s
  }
  // Auto-detect only between the common delimiters; whitespace files must say --sep space.
  const counts = [',', ';', '\t'].map((c) => [c, firstLine.split(c).length - 1] as const)
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a))
  return best[1] > 0 ? best[0] : ','
}

/** RFC 4180 fields on one line: quotes may wrap a field and "" is a literal quote. */
export function splitDelimited(line: string, sep: string, lineNo = 0): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++ }
      else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"' && cur.trim() === '') { quoted = true; cur = '' }
    else if (ch === sep) { out.push(cur); cur = '' }
    else cur += ch
  }
  if (quoted) throw new TrainingInputError('bad_csv', `line ${lineNo}: unterminated quoted field`)
  out.push(cur)
  return out
}

function unquote(s: string): string {
  const t = s.trim()
  return (t.startsWith("'") && t.endsWith("'")) || (t.startsWith('"') && t.endsWith('"')) ? t.slice(1, -1) : t
}

function readArff(text: string): RawTable {
  const lines = text.split(/\r\n|\n|\r/)
  const columns: string[] = []
  const arffTypes = new Map<string, 'numeric' | 'nominal' | 'string'>()
  const rows: string[][] = []
  const rowLines: number[] = []
  let inData = false
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('%')) return
    if (!inData) {
      const m = /^@attribute\s+('[^']*'|"[^"]*"|\S+)\s+(.+)$/i.exec(line)
      if (m) {
        const name = unquote(m[1]!)
        const type = m[2]!.trim()
        const kind = type.startsWith('{') ? 'nominal' : /^(numeric|real|integer)$/i.test(type) ? 'numeric' : /^string$/i.test(type) ? 'string' : undefined
        if (!kind) throw new TrainingInputError('bad_arff', `line ${i + 1}: ARFF attribute type '${type}' of '${name}' is not supported`)
        columns.push(name)
        arffTypes.set(name, kind)
      } else if (/^@data\b/i.test(line)) inData = true
      else if (!/^@relation\b/i.test(line)) throw new TrainingInputError('bad_arff', `line ${i + 1}: unexpected ARFF header line '${line.slice(0, 40)}'`)
      return
    }
    if (line.startsWith('{')) throw new TrainingInputError('bad_arff', `line ${i + 1}: sparse ARFF rows are not supported`)
    const cells = splitDelimited(line, ',', i + 1).map((c) => unquote(c))
    if (cells.length !== columns.length) {
      throw new TrainingInputError('ragged_row', `line ${i + 1} has ${cells.length} values but ${columns.length} attributes are declared`)
    }
    rows.push(cells)
    rowLines.push(i + 1)
  })
  if (columns.length === 0) throw new TrainingInputError('bad_arff', 'the ARFF file declares no @attribute')
  return { columns, rows, lines: rowLines, format: 'arff', arffTypes }
}
