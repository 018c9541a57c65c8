/**
 * Portfolio rescoring: `npm run score -- --model <name> --all [--version <v>] [--workers 2] [--page 2000]`.
 * Scores every enterprise with the model's champion (or the given stored version) on worker threads, each
 * scoring pages of assembled features in one model run per page, and writes model_score_log rows (role 'batch')
 * that monitoring reads. On PostgreSQL each worker streams its own half of the USCC range over its own
 * connection; the embedded database admits one process, so there the main thread streams and workers score.
 */
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { sql } from 'kysely'
import { loadConfig } from '../config.js'
import { createDatabase } from '../db/create-database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createNotifier } from '../db/notify.js'
import { streamFeatures } from '../features/features.service.js'
import type { ServingManifest } from '../models/manifest.js'
import { insertScoreLog, loadArtifact } from '../models/models.repository.js'
import { seedShippedModels } from '../models/models.seed.js'
import { createProgress } from './progress.js'
import type { WorkerInput, WorkerMessage } from './score-worker.js'

const { values: args } = parseArgs({
  options: { model: { type: 'string' }, all: { type: 'boolean' }, version: { type: 'string' }, workers: { type: 'string', default: '2' }, page: { type: 'string', default: '2000' } },
})
if (!args.model || !args.all) {
  console.error('usage: npm run score -- --model <name> --all [--version <version>] [--workers 2] [--page 2000]')
  process.exit(2)
}
const workers = Math.max(1, Math.min(16, Number(args.workers)))
const pageSize = Math.max(100, Math.min(20_000, Number(args.page)))

const config = loadConfig()
const handle = await createDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
await migrateToLatest(handle.db)
// The same boot step as the server: shipped models not yet stored are checked and stored.
const quiet = { info() {}, warn: (o: unknown, msg?: string) => console.error(msg ?? o), error: (o: unknown, msg?: string) => console.error(msg ?? o, o) }
const notifier = createNotifier(handle)
await seedShippedModels(handle.db, notifier, config.modelsDir, quiet)
await notifier.close()
const name = args.model
const version = args.version ?? (await handle.db.selectFrom('model_versions').select('version').where('name', '=', name).where('role', '=', 'champion').executeTakeFirst())?.version
if (!version) {
  console.error(`model ${name} has no champion (give --version)`)
  process.exit(1)
}
const stored = await loadArtifact(handle.db, name, version)
if (!stored) {
  console.error(`model ${name} has no version ${version}`)
  process.exit(1)
}
const total = Number((await handle.db.selectFrom('enterprises').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n)
const asOf = new Date()
const progress = createProgress(process.stderr.isTTY ? 'bar' : 'lines')
const started = Date.now()
let scored = 0
let skipped = 0
const base = { name, version, manifest: stored.manifest as ServingManifest, artifact: new Uint8Array(stored.artifact), asOf: asOf.toISOString(), pageSize }
process.stderr.write(`rescoring ${total} enterprises with ${name}@${version} on ${workers} worker thread(s)\n`)

/** The worker next to this file: TypeScript under tsx (whose loader a worker thread must register itself), JavaScript when built. */
function spawn(data: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./score-worker.js', import.meta.url), { workerData: data })
  const entry = JSON.stringify(new URL('./score-worker.ts', import.meta.url).href)
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}) })`, { eval: true, workerData: data })
}

/** Resolves when the worker says done; rejects on its error. */
function finished(w: Worker, onMessage: (m: WorkerMessage) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    w.on('message', (m: WorkerMessage) => {
      if (m.type === 'done') resolve()
      else if (m.type === 'error') reject(new Error(m.message))
      else onMessage(m)
    })
    w.on('error', reject)
    w.on('exit', (code) => { if (code !== 0) reject(new Error(`worker exited with ${code}`)) })
  })
}

if (handle.kind === 'postgres' && config.databaseUrl) {
  // Split points: every worker takes an equal share of the USCC order.
  const bounds: Array<string | null> = [null]
  for (let k = 1; k < workers; k++) {
    const row = await handle.db.selectFrom('enterprises').select('uscc').orderBy('uscc').offset(Math.floor((k * total) / workers)).limit(1).executeTakeFirst()
    bounds.push(row?.uscc ?? null)
  }
  bounds.push(null)
  await Promise.all(Array.from({ length: workers }, (_, k) => {
    const w = spawn({ ...base, range: { databaseUrl: config.databaseUrl!, after: bounds[k]!, upTo: bounds[k + 1]! } })
    return finished(w, (m) => {
      if (m.type === 'progress') { scored += m.scored; skipped += m.skipped; progress.update('scoring', scored + skipped, total) }
    }).finally(() => w.terminate())
  }))
} else {
  const pool = Array.from({ length: workers }, () => spawn(base))
  const waiting = new Map<number, (m: WorkerMessage & { type: 'scores' }) => void>()
  const done = pool.map((w) => finished(w, (m) => { if (m.type === 'scores') waiting.get(m.id)?.(m) }))
  let id = 0
  const inFlight = new Set<Promise<void>>()
  for await (const page of streamFeatures(handle.db, asOf, pageSize)) {
    const myId = id++
    const p: Promise<void> = new Promise<WorkerMessage & { type: 'scores' }>((resolve) => { waiting.set(myId, resolve) })
      .then(async (m) => {
        waiting.delete(myId)
        await insertScoreLog(handle.db, m.rows)
        scored += m.rows.length
        skipped += m.skipped
        progress.update('scoring', scored + skipped, total)
      })
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
    pool[myId % workers]!.postMessage({ id: myId, page })
    // At most two pages per worker in flight, so memory stays bounded on a large portfolio.
    if (inFlight.size >= workers * 2) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  for (const w of pool) w.postMessage({ type: 'end' })
  await Promise.all(done)
  await Promise.all(pool.map((w) => w.terminate()))
}

const seconds = (Date.now() - started) / 1000
console.log(`scored ${scored} enterprises with ${name}@${version} in ${seconds.toFixed(1)} s (${Math.round(scored / Math.max(seconds, 0.001))}/s); ${skipped} skipped (features the model cannot read)`)
await handle.db.destroy()
