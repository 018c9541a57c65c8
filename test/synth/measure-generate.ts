/**
 * Measures the synthetic portfolio generator without a database: rows per second, peak RSS and the
 * headline distributions. Run: npx tsx test/synth/measure-generate.ts [enterprises] [seed]
 */
import { generatePortfolio } from '../../src/synth/generate.js'

const n = Number(process.argv[2] ?? 1_000_000)
const seed = Number(process.argv[3] ?? 42)
const counts: Record<string, number> = {}
const relationTypes: Record<string, number> = {}
let peakRss = 0
let peakHeap = 0
let defaults = 0
let responses = 0
let pdSum = 0
const started = performance.now()
const phaseStart: Record<string, number> = {}
for (const batch of generatePortfolio({
  enterprises: n, seed,
  onProgress: (phase) => { phaseStart[phase] ??= performance.now() },
})) {
  counts[batch.kind] = (counts[batch.kind] ?? 0) + batch.rows.length
  if (batch.kind === 'relations') for (const r of batch.rows) relationTypes[r.type] = (relationTypes[r.type] ?? 0) + 1
  if (batch.kind === 'truth') {
    for (const t of batch.rows) {
      defaults += t.defaulted ? 1 : 0
      responses += t.responded ? 1 : 0
      pdSum += t.truePd
    }
  }
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage()
  if (rss > peakRss) peakRss = rss
  if (heapUsed + arrayBuffers > peakHeap) peakHeap = heapUsed + arrayBuffers
}
const seconds = (performance.now() - started) / 1000
const rows = Object.values(counts).reduce((a, b) => a + b, 0)
console.log(`enterprises ${n}, seed ${seed}: ${seconds.toFixed(1)} s, ${rows} rows, ${Math.round(rows / seconds)} rows/s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (heap + buffers ${(peakHeap / 2 ** 20).toFixed(0)} MB)`)
console.log('rows', counts)
console.log('phase start (s)', Object.fromEntries(Object.entries(phaseStart).map(([k, v]) => [k, ((v - started) / 1000).toFixed(1)])))
console.log(`relations per enterprise ${((counts.relations ?? 0) / n).toFixed(2)}`, relationTypes)
console.log(`default rate ${(defaults / n * 100).toFixed(2)}%, mean truePd ${(pdSum / n * 100).toFixed(2)}%, response rate ${(responses / n * 100).toFixed(2)}%`)
