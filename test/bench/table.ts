/** One line of a benchmark table. */
export interface Row {
  bench: string
  what: string
  value: number
  unit: string
  /** Ratio against the anchor measured in the same run, when there is one. */
  ratio?: number
  target?: string
}

export function printTable(rows: readonly Row[]): void {
  const cells = rows.map((r) => [
    r.bench, r.what, formatNumber(r.value) + ' ' + r.unit, r.ratio === undefined ? '' : r.ratio.toFixed(2) + '×', r.target ?? '',
  ])
  const head = ['bench', 'what', 'value', 'ratio', 'target']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i]!)).join(' | ') + ' |'
  console.log(line(head))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const c of cells) console.log(line(c))
}

function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US')
  if (Math.abs(v) >= 1) return v.toFixed(2)
  return v.toPrecision(3)
}

/** Peak resident memory of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024
}

/** Prints any list of flat records as a table, columns in first-seen key order (benchmarks of other shapes). */
export function printRecords(rows: readonly object[]): void {
  const keys: string[] = []
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k)
  const text = (v: unknown) => (typeof v === 'number' ? formatNumber(v) : v === undefined ? '' : String(v))
  const cells = rows.map((r) => keys.map((k) => text((r as Record<string, unknown>)[k])))
  const widths = keys.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i]!)).join(' | ') + ' |'
  console.log(line(keys))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const c of cells) console.log(line(c))
}
