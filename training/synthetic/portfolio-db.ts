/**
 * The training database for the synthetic portfolio: PostgreSQL when TRAIN_DATABASE_URL is set, else a PGlite
 * directory per (size, seed) that is reused once seeded, because seeding and the graph run dominate a 100k run.
 */
import { sql } from 'kysely'
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.js'
import type { Db } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { createGraphService } from '../../src/graph/graph.service.js'
import { seedPortfolio } from '../../src/synth/seed.js'

export interface PortfolioOptions {
  enterprises: number
  seed: number
  /** YYYY-MM-DD; the graph's clock (relation end dates, risk decay) and the feature as-of date. */
  asOf: string
  /** Overrides the env/default location (tests pass 'memory://' or a temp dir). */
  pgliteDir?: string
  databaseUrl?: string
  log?: (s: string) => void
}

export interface PortfolioDb {
  handle: DatabaseHandle
  db: Db
  graph: ReturnType<typeof createGraphService>
  /** Snapshot whose feature_rows hold the graph features. */
  snapshotId: string
  close(): Promise<void>
}

export function defaultPgliteDir(enterprises: number, seed: number): string {
  return `.tmp/train-pglite-${enterprises}-${seed}`
}

/** The graph service with its clock pinned to the as-of date, so a rerun tomorrow gives the same features. */
export function pinnedGraphService(db: Db, asOf: string) {
  return createGraphService(db, { now: () => new Date(`${asOf}T00:00:00Z`) })
}

async function seededCount(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from synth_truth`.execute(db)
  return r.rows[0]?.n ?? 0
}

/** Opens (creating, migrating, seeding and running the graph as needed) the portfolio database. */
export async function openPortfolioDb(o: PortfolioOptions): Promise<PortfolioDb> {
  const log = o.log ?? (() => {})
  const databaseUrl = o.databaseUrl ?? process.env.TRAIN_DATABASE_URL
  const pgliteDir = o.pgliteDir ?? defaultPgliteDir(o.enterprises, o.seed)
  const handle = await createDatabase(databaseUrl ? { databaseUrl } : { pgliteDir })
  const db = handle.db
  await migrateToLatest(db)
  const have = await seededCount(db)
  if (have !== 0 && have !== o.enterprises) {
    await db.destroy()
    throw new Error(`the training database ${databaseUrl ? '(TRAIN_DATABASE_URL)' : pgliteDir} holds ${have} enterprises, not ${o.enterprises}; use an empty database or another directory`)
  }
  const graph = pinnedGraphService(db, o.asOf)
  let snapshotId: string
  if (have === 0) {
    log(`seeding ${o.enterprises} enterprises (seed ${o.seed}) into ${databaseUrl ? 'PostgreSQL' : pgliteDir}`)
    const t0 = Date.now()
    await seedPortfolio(db, { enterprises: o.enterprises, seed: o.seed, progress: o.log ? 'lines' : 'none' })
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  }
  const latest = await graph.latestSnapshot()
  if (have === 0 || !latest) {
    const t0 = Date.now()
    let last = 0
    const r = await graph.recompute((phase, done, total) => {
      if (Date.now() - last > 3000 || done >= total) { last = Date.now(); log(`graph ${phase}: ${done}/${total}`) }
    })
    snapshotId = r.snapshotId
    log(`graph features for ${r.enterprises} enterprises (${r.nodes} nodes, ${r.edges} edges) in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  } else {
    snapshotId = latest.id
    log(`reusing the seeded portfolio and graph snapshot ${snapshotId}`)
  }
  return { handle, db, graph, snapshotId, close: () => db.destroy() }
}
