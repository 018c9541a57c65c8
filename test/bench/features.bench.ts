import { sql } from 'kysely'
import { createDatabase } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createFeaturesService } from '../../src/features/features.service.js'
import { createGraphService } from '../../src/graph/graph.service.js'
import { seedPortfolio } from '../../src/synth/seed.js'
import { freshPostgres, urlFor } from './bench-db.js'

const N = Number(process.env.BENCH_FEATURES_ENTERPRISES ?? 50_000)
const SAMPLES = 2000

/**
 * One enterprise's feature assembly from PostgreSQL (the one-query path decisions use), p50/p99 over random
 * enterprises. BENCH_FEATURES_DB names an existing seeded database (e.g. the 1M seed bench's); otherwise a
 * fresh one is seeded with N enterprises and its graph features computed.
 */
export async function runFeaturesBench(): Promise<object[]> {
  const existing = process.env.BENCH_FEATURES_DB
  const handle = existing ? await createDatabase({ databaseUrl: urlFor(existing) }) : await freshPostgres('ce_bench_features')
  if (existing) await migrateToLatest(handle.db)
  else {
    await seedPortfolio(handle.db, { enterprises: N, seed: 5, progress: 'lines' })
    await createGraphService(handle.db).recompute()
  }
  const count = Number((await sql<{ n: number }>`select count(*)::int as n from enterprises`.execute(handle.db)).rows[0]!.n)
  const usccs = (await sql<{ uscc: string }>`select uscc from enterprises order by md5(uscc || 'x') limit ${SAMPLES}`.execute(handle.db)).rows.map((r) => r.uscc)
  const features = createFeaturesService(handle.db)
  for (const u of usccs.slice(0, 100)) await features.forEnterprise(u)
  const times: number[] = []
  for (const u of usccs) {
    const t0 = performance.now()
    await features.forEnterprise(u)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  await handle.db.destroy()
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
  return [
    { bench: 'features', what: `one enterprise's assembly from PostgreSQL, ${count.toLocaleString('en-US')} enterprises, p50`, value: q(0.5), unit: 'ms' },
    { bench: 'features', what: 'p99', value: q(0.99), unit: 'ms' },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printRecords } = await import('./table.js')
  printRecords(await runFeaturesBench())
}
