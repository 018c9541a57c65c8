import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { createDatabase } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { OPPORTUNITY_TYPES } from '../../src/rules/opportunity-types.js'
import { SYSTEM_ACTOR } from '../../src/shared/roles.js'
import { urlFor } from './bench-db.js'

/**
 * Leads (PostgreSQL, in-process through app.inject): 100k opportunity events end to end on the decisions
 * benchmark's 20k portfolio (BENCH_LEADS_DB), nearby-prospects p99 on the 1M seed database
 * (BENCH_LEADS_1M_DB), and 50 concurrent claims of one lead. Run the decisions and seed benchmarks first.
 */
export async function runLeadsBench(): Promise<object[]> {
  const rows: object[] = []
  const events = Number(process.env.BENCH_LEADS_EVENTS ?? 100_000)
  {
    const handle = await createDatabase({ databaseUrl: urlFor(process.env.BENCH_LEADS_DB ?? 'ce_bench_decisions') })
    await migrateToLatest(handle.db)
    const { app, services } = await buildApp(testConfig({ modelsDir: './models' }), handle)
    const data = { authorization: `Bearer ${(await services.apiKeys.create({ name: 'bench-data', role: 'data' }, SYSTEM_ACTOR)).key}` }
    const usccs = (await sql<{ uscc: string }>`select uscc from enterprises order by uscc`.execute(handle.db)).rows.map((r) => r.uscc)
    const run = Date.now().toString(36)
    const t0 = performance.now()
    const counts = { accepted: 0, filtered: 0 }
    for (let i = 0; i < events; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, events - i) }, (_, k) => {
        const n = i + k
        return { externalId: `LB-${run}-${n}`, uscc: usccs[(n * 7919) % usccs.length], type: OPPORTUNITY_TYPES[n % OPPORTUNITY_TYPES.length]!.code, amount: 1_000_000 + (n % 50) * 100_000, occurredAt: new Date(Date.now() - (n % 90) * 86_400_000).toISOString(), source: 'bench' }
      })
      const res = await app.inject({ method: 'POST', url: '/v1/opportunity-events/batch', headers: data, payload: { events: batch } })
      if (res.statusCode !== 200) throw new Error(`ingest ${res.statusCode}: ${res.body.slice(0, 300)}`)
      const body = res.json() as { accepted: number; filtered: Record<string, number> }
      counts.accepted += body.accepted
      counts.filtered += Object.values(body.filtered ?? {}).reduce((a, b) => a + b, 0)
      process.stderr.write(`events ${i + batch.length}/${events}\n`)
    }
    const seconds = (performance.now() - t0) / 1000
    console.error(`events: ${events} in ${seconds.toFixed(1)} s`)
    rows.push({ bench: 'leads', what: `${events.toLocaleString('en-US')} opportunity events end to end (signals, filters, grading, assignment), ${usccs.length.toLocaleString('en-US')} enterprises`, value: events / seconds, unit: 'events/s', accepted: counts.accepted, filtered: counts.filtered })

    // 50 concurrent claims on one unclaimed lead with a branch.
    const lead = await sql<{ id: string; branch_id: string }>`select id, branch_id from leads where status = 'UNCLAIMED' and branch_id is not null limit 1`.execute(handle.db)
    const target = lead.rows[0]
    if (target) {
      const branch = { authorization: `Bearer ${(await services.apiKeys.create({ name: 'bench-branch', role: 'branch', branchId: target.branch_id }, SYSTEM_ACTOR)).key}` }
      const answers = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: `/v1/leads/${target.id}/claim`, headers: branch, payload: {} })))
      const wins = answers.filter((a) => a.statusCode === 200).length
      rows.push({ bench: 'leads', what: '50 concurrent claims of one lead', value: wins, unit: 'winners', conflicts: answers.filter((a) => a.statusCode === 409).length, target: 'exactly 1' })
    }
    await app.close()
    await handle.db.destroy()
  }
  {
    const handle = await createDatabase({ databaseUrl: urlFor(process.env.BENCH_LEADS_1M_DB ?? 'ce_bench_seed') })
    await migrateToLatest(handle.db)
    const { app, services } = await buildApp(testConfig({ modelsDir: './models' }), handle)
    const hq = { authorization: `Bearer ${(await services.apiKeys.create({ name: 'bench-hq', role: 'hq' }, SYSTEM_ACTOR)).key}` }
    const n = Number((await sql<{ n: number }>`select count(*)::int as n from enterprises`.execute(handle.db)).rows[0]!.n)
    const branches = (await sql<{ id: string }>`select id from branches order by id`.execute(handle.db)).rows.map((r) => r.id)
    const times: number[] = []
    const samples = Number(process.env.BENCH_LEADS_NEARBY_SAMPLES ?? 40)
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now()
      const res = await app.inject({ method: 'GET', url: `/v1/branches/${branches[i % branches.length]}/nearby-prospects?radiusKm=${1 + (i % 10)}`, headers: hq })
      if (res.statusCode !== 200) throw new Error(`nearby ${res.statusCode}: ${res.body.slice(0, 300)}`)
      if (i >= 3) times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    rows.push({ bench: 'leads', what: `nearby-prospects (radius 1-10 km) over ${n.toLocaleString('en-US')} enterprises, p50`, value: times[Math.floor(times.length / 2)]!, unit: 'ms' })
    rows.push({ bench: 'leads', what: `nearby-prospects p99 (${times.length} requests)`, value: times[Math.floor(times.length * 0.99)]!, unit: 'ms' })
    await app.close()
    await handle.db.destroy()
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printRecords } = await import('./table.js')
  printRecords(await runLeadsBench())
}
