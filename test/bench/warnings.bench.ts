/**
 * Warnings benchmark on PostgreSQL: the synthetic portfolio (seedPortfolio, WARNINGS_BENCH_ENTERPRISES,
 * 100,000 by default) in a fresh database; 100,000 risk events (WARNINGS_BENCH_EVENTS) posted to
 * POST /v1/risk-events/batch in batches of 5,000 — validation, storage, classification, escalation/merge,
 * propagation over the in-memory graph and the outbox, end to end through the HTTP layer; then 2,000
 * sequential workflow transitions and their latency percentiles.
 * Run: npx tsx test/bench/warnings.bench.ts   (or npm run bench -- warnings)
 */
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { RISK_EVENT_TYPES } from '../../src/rules/event-types.js'
import { SYSTEM_ACTOR } from '../../src/shared/roles.js'
import { seedPortfolio } from '../../src/synth/seed.js'
import { freshPostgres } from './bench-db.js'
import type { Row } from './table.js'
import { seededRandom } from '../../training/lib/split.js'

const ENTERPRISES = Number(process.env.WARNINGS_BENCH_ENTERPRISES ?? 100_000)
const EVENTS = Number(process.env.WARNINGS_BENCH_EVENTS ?? 100_000)
const BATCH = 5_000
const TRANSITIONS = 2_000

const rng = seededRandom

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!

export async function runWarningsBench(): Promise<Row[]> {
  const handle = await freshPostgres('ce_bench_warnings')
  const rows: Row[] = []
  let t0 = performance.now()
  const counts = await seedPortfolio(handle.db, { enterprises: ENTERPRISES, seed: 7 })
  console.error(`seeded ${JSON.stringify(counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const { app, services } = await buildApp(testConfig({ databaseUrl: handle.url, rulesFileActivation: true }), handle)
  const admin = await services.apiKeys.create({ name: 'bench-data', role: 'data', branchId: null }, SYSTEM_ACTOR)
  const hq = await services.apiKeys.create({ name: 'bench-hq', role: 'hq', branchId: null }, SYSTEM_ACTOR)
  try {
    t0 = performance.now()
    await services.graph.ensureLoaded()
    rows.push({ bench: 'warnings', what: `graph load before the first ingest (${ENTERPRISES.toLocaleString('en-US')} enterprises, ${counts.relations.toLocaleString('en-US')} relations)`, value: (performance.now() - t0) / 1000, unit: 's' })

    const usccs = (await handle.db.selectFrom('enterprises').select('uscc').execute()).map((r) => r.uscc)
    const r = rng(42)
    // Skewed picks: a minority of firms collects most events, so escalation, attachment and merging all happen.
    const pick = () => usccs[Math.floor(usccs.length * r() ** 2)]!
    const types = RISK_EVENT_TYPES.map((x) => x.code)
    const now = Date.now()
    const event = (i: number) => ({
      externalId: `BENCH-${i}`, uscc: pick(), type: types[Math.floor(r() * types.length)]!,
      occurredAt: new Date(now - Math.floor(r() * 180 * 86_400_000)).toISOString(), source: 'bench',
      ...(r() < 0.3 ? { amount: Math.round(r() * 8_000_000) } : {}), ...(r() < 0.2 ? { severity: 1 + Math.floor(r() * 5) } : {}),
      ...(r() < 0.1 ? { payload: { sentiment: -r() } } : {}),
    })
    const totals = { created: 0, escalated: 0, attached: 0, merged: 0, propagated: 0 }
    const batchMs: number[] = []
    t0 = performance.now()
    for (let start = 0; start < EVENTS; start += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, EVENTS - start) }, (_, k) => event(start + k))
      const b0 = performance.now()
      const res = await app.inject({ method: 'POST', url: '/v1/risk-events/batch', headers: { authorization: `Bearer ${admin.key}` }, payload: { events } })
      batchMs.push(performance.now() - b0)
      if (res.statusCode !== 200) throw new Error(`ingest answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
      const body = res.json() as { accepted: number; warnings: typeof totals }
      if (body.accepted !== events.length) throw new Error(`only ${body.accepted} of ${events.length} accepted`)
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += body.warnings[k]
    }
    const seconds = (performance.now() - t0) / 1000
    console.error(`warnings: ${JSON.stringify(totals)}`)
    rows.push({ bench: 'warnings', what: `${EVENTS.toLocaleString('en-US')} events: ingest + classify + propagate (HTTP, batches of ${BATCH})`, value: EVENTS / seconds, unit: 'events/s' })
    rows.push({ bench: 'warnings', what: 'p99 of a 5,000-event batch', value: percentile([...batchMs].sort((a, b) => a - b), 0.99), unit: 'ms' })
    rows.push({ bench: 'warnings', what: `outcome: created / escalated / attached / merged / propagated = ${totals.created} / ${totals.escalated} / ${totals.attached} / ${totals.merged} / ${totals.propagated}`, value: totals.created + totals.propagated, unit: 'warnings' })

    const open = await handle.db.selectFrom('warnings').select(['id', 'version']).where('status', '=', 'OPEN').limit(TRANSITIONS).execute()
    const lat: number[] = []
    for (const w of open) {
      const s = performance.now()
      const res = await app.inject({ method: 'POST', url: `/v1/warnings/${w.id}/transitions`, headers: { authorization: `Bearer ${hq.key}`, 'if-match': `"${w.version}"` }, payload: { action: 'acknowledge' } })
      lat.push(performance.now() - s)
      if (res.statusCode !== 200) throw new Error(`transition answered ${res.statusCode}: ${res.body.slice(0, 300)}`)
    }
    lat.sort((a, b) => a - b)
    rows.push({ bench: 'warnings', what: `transition (acknowledge with If-Match, HTTP), ${lat.length} sequential: p50`, value: percentile(lat, 0.5), unit: 'ms' })
    rows.push({ bench: 'warnings', what: 'transition p99', value: percentile(lat, 0.99), unit: 'ms' })
  } finally {
    await app.close()
    await handle.db.destroy()
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./table.js')
  printTable(await runWarningsBench())
  process.exit(0)
}
