/**
 * Graph analytics benchmark: a generated portfolio (power-law ownership and legal representatives, supply
 * chains, guarantee chains with some circles, shared phones/addresses including agent hubs) streamed into the
 * builder in batches; full recompute wall time and peak RSS; then 1,000 single-relation incremental updates.
 * Run: npx tsx test/bench/graph.bench.ts   (GRAPH_BENCH_SIZES=100000,1000000 by default)
 */
import { availableParallelism, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EnterpriseRow, PersonRow, RelationRow, RelationType } from '../../src/enterprises/enterprises.types.js'
import { createGraphBuilder } from '../../src/graph/graph-builder.js'
import { computeGraphFeatures } from '../../src/graph/graph-features.js'
import { applyRelation } from '../../src/graph/graph-incremental.js'
import type { Row } from './table.js'
import { seededRandom } from '../../training/lib/split.js'

const rng = seededRandom

const firm = (i: number) => `E${i}`
const pers = (i: number) => `P${i}`
const BATCH = 100_000

/** Streams a synthetic portfolio of n enterprises into the builder; about 5 edges per enterprise. */
function generate(n: number, seed: number) {
  const r = rng(seed)
  const persons = Math.floor(n * 0.6)
  // u^k concentrates picks on low indices: a few holders and representatives own many firms (power law).
  const skewed = (m: number, k: number) => Math.floor(m * r() ** k)
  const b = createGraphBuilder()
  for (let s = 0; s < persons; s += BATCH) {
    const rows: PersonRow[] = []
    for (let i = s; i < Math.min(persons, s + BATCH); i++) rows.push({ id: pers(i), nameMasked: '', birthYear: 1970, blacklisted: r() < 0.002 })
    b.addPersons(rows)
  }
  const agents = Math.max(1, Math.floor(n / 5000))
  for (let s = 0; s < n; s += BATCH) {
    const rows: EnterpriseRow[] = []
    for (let i = s; i < Math.min(n, s + BATCH); i++) {
      const agent = r() < 0.03
      rows.push({
        uscc: firm(i), name: '', establishedOn: '2015-01-01', registeredCapital: Math.floor(1e5 + r() * 5e7),
        industryCode: 'C', regionCode: '330100', status: 'ACTIVE', blacklisted: r() < 0.005,
        phoneHash: `ph${Math.floor(r() * n * 0.9)}`,
        addressHash: agent ? `agent${Math.floor(r() * agents)}` : `ad${Math.floor(r() * n * 0.95)}`,
        legalRepPersonId: pers(skewed(persons, 1.6)),
      })
    }
    b.addEnterprises(rows)
  }
  let rows: RelationRow[] = []
  const push = (type: RelationType, fromPerson: boolean, from: number, to: number, extra: Partial<RelationRow> = {}) => {
    rows.push({ type, fromType: fromPerson ? 'person' : 'enterprise', fromId: fromPerson ? pers(from) : firm(from),
      toType: 'enterprise', toId: firm(to), ...extra })
    if (rows.length >= BATCH) { b.addRelations(rows); rows = [] }
  }
  for (let i = 0; i < n; i++) {
    const holders = r() < 0.5 ? 1 : 2
    for (let h = 0; h < holders; h++) {
      if (r() < 0.7) push('SHAREHOLDER', true, skewed(persons, 2), i, { ratio: r() })
      else push('SHAREHOLDER', false, skewed(n, 3), i, { ratio: r() })
    }
    if (r() < 0.5) push('EXECUTIVE', true, Math.floor(r() * persons), i)
    if (r() < 0.3) push('INVESTMENT', false, skewed(n, 2.5), i)
    const supplies = r() < 0.6 ? 1 : 2
    for (let k = 0; k < supplies && i + 1 < n; k++) {
      // mostly local chains, sometimes a large buyer
      push('SUPPLIER', false, i, r() < 0.8 ? Math.min(n - 1, i + 1 + Math.floor(r() * 50)) : skewed(n, 3))
    }
    if (r() < 0.3) push('CUSTOMER', false, i, Math.floor(r() * n))
    if (i % 10 === 0 && r() < 0.6) {
      // a guarantee chain of 2-6 firms; one in ten closes into a circle
      const len = 2 + Math.floor(r() * 5)
      for (let k = 0; k + 1 < len && i + k + 1 < n; k++) push('GUARANTEE', false, i + k, i + k + 1, { amount: Math.floor(r() * 1e7) })
      if (r() < 0.1 && i + len - 1 < n) push('GUARANTEE', false, i + len - 1, i, { amount: 1e6 })
    }
    if (r() < 0.05) push('SAME_ADDRESS', false, i, Math.floor(r() * n))
  }
  b.addRelations(rows)
  const risky = new Map<string, number>()
  const dishonest = new Set<string>()
  const now = Date.UTC(2025, 0, 1)
  for (let i = 0; i < n; i++) {
    if (r() < 0.02) risky.set(firm(i), now - Math.floor(r() * 3 * 365) * 86_400_000)
    if (r() < 0.005) dishonest.add(firm(i))
  }
  return { builder: b, risky, dishonest, now, persons, rand: r }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

export async function runGraphBench(sizes = (process.env.GRAPH_BENCH_SIZES ?? '100000,1000000').split(',').map(Number)): Promise<Row[]> {
  const rows: Row[] = []
  for (const n of sizes) {
    const label = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`
    const t0 = performance.now()
    const gen = generate(n, 42)
    const g = gen.builder.build()
    const tBuild = performance.now() - t0
    const t1 = performance.now()
    const cpu1 = process.cpuUsage()
    const f = computeGraphFeatures(g, { risky: gen.risky, dishonest: gen.dishonest, now: gen.now })
    const tFull = performance.now() - t1
    const cpuFull = process.cpuUsage(cpu1)
    const peakMb = process.resourceUsage().maxRSS / 1024
    rows.push(
      { bench: 'graph', what: `${label}: nodes / edges`, value: g.nodeCount, unit: `nodes, ${g.edgeCount.toLocaleString('en-US')} edges` },
      { bench: 'graph', what: `${label}: generate + build (CSR)`, value: tBuild / 1000, unit: 's' },
      { bench: 'graph', what: `${label}: full recompute`, value: tFull / 1000, unit: 's', target: n >= 1e6 ? '≤ 120 s' : undefined },
      { bench: 'graph', what: `${label}: full recompute CPU time`, value: (cpuFull.user + cpuFull.system) / 1e6, unit: 's' },
      { bench: 'graph', what: `${label}: full stages`, value: f.stats.pageRankIterations, unit: `PR iterations; ms ${JSON.stringify(f.stats.millis)}` },
      { bench: 'graph', what: `${label}: peak RSS so far`, value: peakMb, unit: 'MB' },
    )
    const types: RelationType[] = ['SHAREHOLDER', 'SUPPLIER', 'GUARANTEE', 'INVESTMENT', 'LEGAL_REP', 'SAME_PHONE', 'EXECUTIVE']
    const randomRelation = (k: number): RelationRow => {
      const type = types[k % types.length]!
      const fromPerson = type === 'LEGAL_REP' || type === 'EXECUTIVE' || (type === 'SHAREHOLDER' && k % 2 === 0)
      const from = fromPerson ? pers(Math.floor(gen.rand() * gen.persons)) : firm(Math.floor(gen.rand() * n))
      return { type, fromType: fromPerson ? 'person' : 'enterprise', fromId: from, toType: 'enterprise',
        toId: firm(Math.floor(gen.rand() * n)), amount: type === 'GUARANTEE' ? 1e6 : null }
    }
    // Untimed warm-up so the JIT has compiled the update path, as a long-running service would have.
    for (let k = 0; k < 100; k++) applyRelation(g, randomRelation(k), f.risk, f)
    const wall: number[] = []
    const cpu: number[] = []
    let affected = 0
    for (let k = 0; k < 1000; k++) {
      const row = randomRelation(k)
      const c0 = process.cpuUsage()
      const s = performance.now()
      const res = applyRelation(g, row, f.risk, f)
      wall.push(performance.now() - s)
      const c = process.cpuUsage(c0)
      cpu.push((c.user + c.system) / 1000)
      affected += res.affected.length
    }
    wall.sort((a, b) => a - b)
    cpu.sort((a, b) => a - b)
    rows.push(
      { bench: 'graph', what: `${label}: incremental update wall p50`, value: percentile(wall, 0.5), unit: 'ms' },
      { bench: 'graph', what: `${label}: incremental update wall p99`, value: percentile(wall, 0.99), unit: 'ms', target: '≤ 10 ms' },
      { bench: 'graph', what: `${label}: incremental update CPU p50`, value: percentile(cpu, 0.5), unit: 'ms' },
      { bench: 'graph', what: `${label}: incremental update CPU p99`, value: percentile(cpu, 0.99), unit: 'ms', target: '≤ 10 ms' },
      { bench: 'graph', what: `${label}: affected firms per update (mean)`, value: affected / 1000, unit: 'firms' },
      { bench: 'graph', what: `${label}: load average at end (1 min)`, value: loadavg()[0]!, unit: `on ${availableParallelism()} cores` },
    )
  }
  return rows
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href
if (isMain) {
  const { printTable } = await import('./table.js')
  printTable(await runGraphBench())
}
