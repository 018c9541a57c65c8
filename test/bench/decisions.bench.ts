import { spawn, type ChildProcess } from 'node:child_process'
import { startServer, stopServer } from './server-process.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { createGraphService } from '../../src/graph/graph.service.js'
import { seedPortfolio } from '../../src/synth/seed.js'
import { createDatabase } from '../../src/db/create-database.js'
import { freshPostgres } from './bench-db.js'
import { asOfDateOf, featureStoreCounts } from '../../src/features/features.repository.js'
import { postgresCpuMs, processCpuMs } from './proc-cpu.js'

// Large enough that most applications come from an enterprise with no earlier application in the run: with a
// few thousand enterprises the velocity rules decline the repeats before the model runs, which is cheaper.
const ENTERPRISES = Number(process.env.BENCH_DECISIONS_ENTERPRISES ?? 100_000)
const DURATION = Number(process.env.BENCH_DECISIONS_SECONDS ?? 10)
/** Seconds per level of the concurrency sweep, and the number of (a)-then-(b) pairs measured at the chosen levels. */
const SWEEP_SECONDS = Number(process.env.BENCH_DECISIONS_SWEEP_SECONDS ?? 5)
const PAIRS = Number(process.env.BENCH_DECISIONS_PAIRS ?? 3)
/** Concurrency levels tried for the maximum: the best of them is the maximum throughput. */
const LEVELS = [8, 16, 32, 64]
const ADMIN = 'bench-admin-key-0123456789'
const ANCHOR_URL = 'http://127.0.0.1:3912/insert'

function load(opts: object, script = 'test/bench/load.ts'): Promise<{ rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; total: number; cpuMs?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => { out += c.toString() })
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load exited ${code}`))))
  })
}

type LoadResult = Awaited<ReturnType<typeof load>>
/** CPU milliseconds per answered request of the server process, of PostgreSQL and of the load generator. */
interface CpuBudget { serverMsPerReq: number; postgresMsPerReq: number; loadMsPerReq: number }
type Measured = LoadResult & CpuBudget & { connections: number }

/** One load run with the CPU that the server, PostgreSQL and the generator spent on it. */
async function measure(server: ChildProcess, connections: number, run: (connections: number) => Promise<LoadResult>): Promise<Measured> {
  const s0 = processCpuMs(server.pid!)
  const p0 = postgresCpuMs()
  const r = await run(connections)
  const per = (ms: number) => ms / r.total
  return { ...r, connections, serverMsPerReq: per(processCpuMs(server.pid!) - s0), postgresMsPerReq: per(postgresCpuMs() - p0), loadMsPerReq: per(r.cpuMs ?? Number.NaN) }
}

const describe = (m: Measured) =>
  `${m.connections} connections: ${m.rps.toFixed(0)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms; CPU per request: server ${m.serverMsPerReq.toFixed(3)} ms, PostgreSQL ${m.postgresMsPerReq.toFixed(3)} ms, load ${m.loadMsPerReq.toFixed(3)} ms`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The pair runs of one side summed up: throughput over all of them, the median run's latency, CPU per request over all. */
function combined(runs: Measured[]): Measured {
  const total = runs.reduce((n, r) => n + r.total, 0)
  const weighted = (k: 'serverMsPerReq' | 'postgresMsPerReq' | 'loadMsPerReq') => runs.reduce((n, r) => n + r[k] * r.total, 0) / total
  return {
    ...runs[0]!, total, rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length, p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0), serverMsPerReq: weighted('serverMsPerReq'), postgresMsPerReq: weighted('postgresMsPerReq'), loadMsPerReq: weighted('loadMsPerReq'),
  }
}

const cpuColumns = (b: CpuBudget) => ({ cpuServerMs: b.serverMsPerReq, cpuPostgresMs: b.postgresMsPerReq, cpuLoadMs: b.loadMsPerReq })

/** (a) a bare route durably inserting one 2 KB jsonb row vs (b) POST /v1/decisions, both on PostgreSQL, load from another process. */
export async function runDecisionsBench(): Promise<object[]> {
  const target = await freshPostgres('ce_bench_decisions')
  console.error(`seeding ${ENTERPRISES} enterprises and computing graph features`)
  await seedPortfolio(target.db, { enterprises: ENTERPRISES, seed: 3, progress: 'lines' })
  await createGraphService(target.db).recompute()
  const usccList = (await target.db.selectFrom('enterprises').select('uscc').where('status', '=', 'ACTIVE').orderBy(sql`md5(uscc)`).execute()).map((r) => r.uscc)
  // The load processes read the USCCs from a file and each run starts where the previous one stopped, so an
  // enterprise applies again only once the list wraps around.
  const usccsFile = join(mkdtempSync(join(tmpdir(), 'ce-bench-')), 'usccs.json')
  writeFileSync(usccsFile, JSON.stringify(usccList))
  let offset = 0
  const decisionLoad = async (o: object, script?: string) => {
    const r = await load({ ...o, usccsFile, offset }, script)
    offset += r.total
    return r
  }
  await target.db.destroy()

  // Both servers stay up and the load alternates between them, so the anchor and the decisions see the same
  // machine: on this kind of shared VM the speed of every process drifts by up to 2x within minutes (README).
  const anchor = await startServer(['test/bench/durable-insert-server.ts'], { DATABASE_URL: target.url, PORT: '3912' }, /ready/)
  const service = await startServer(['src/main.ts'], {
    DATABASE_URL: target.url, PORT: '3911', BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'warn', DEMO_DATA: '0', RULES_FILE_ACTIVATION: '1',
  }, /Graph features computed/)
  // Production serves decisions from a current online feature store; the service's start-up graph recompute
  // cleared every row, so wait until the refresher has assembled them again (progress on stderr).
  const watch = await createDatabase({ databaseUrl: target.url })
  for (;;) {
    const { pending, current } = await featureStoreCounts(watch.db, asOfDateOf(new Date()))
    console.error(`  feature store: ${current} current, ${pending} pending`)
    if (pending === 0) break
    await new Promise((r) => setTimeout(r, 5000))
  }
  // This machine's PostgreSQL runs with autovacuum off; refilling the store left a dead row version per
  // enterprise (and dead entries in its partial index of cleared rows), so vacuum and analyze as autovacuum would.
  await sql`vacuum analyze`.execute(watch.db)
  await watch.db.destroy()
  const keyRes = await fetch('http://127.0.0.1:3911/v1/api-keys', {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench-los', role: 'origination' }),
  })
  const key = ((await keyRes.json()) as { key: string }).key
  const url = 'http://127.0.0.1:3911/v1/decisions'
  const insertRun = (duration: number) => (connections: number) => load({ url: ANCHOR_URL, connections, duration, kind: 'insert' })
  const decisionRun = (duration: number) => (connections: number) => decisionLoad({ url, key, connections, duration, kind: 'decision' })
  await insertRun(3)(8)
  await decisionRun(3)(8)

  // The concurrency of each: the best of a short run per level, (a) and (b) alternating level by level.
  console.error(`concurrency sweep, ${SWEEP_SECONDS} s per level and side`)
  const sweepA: Measured[] = []
  const sweepB: Measured[] = []
  for (const connections of LEVELS) {
    sweepA.push(await measure(anchor, connections, insertRun(SWEEP_SECONDS)))
    console.error(`  (a) ${describe(sweepA.at(-1)!)}`)
    sweepB.push(await measure(service, connections, decisionRun(SWEEP_SECONDS)))
    console.error(`  (b) ${describe(sweepB.at(-1)!)}`)
  }
  const bestLevel = (runs: Measured[]) => runs.reduce((x, y) => (y.rps > x.rps ? y : x)).connections
  const levelA = bestLevel(sweepA)
  const levelB = bestLevel(sweepB)

  // The figures: PAIRS pairs of (a) then (b) at those levels; the ratio of each pair, and their median.
  console.error(`${PAIRS} pairs of ${DURATION} s runs: (a) at ${levelA}, (b) at ${levelB} connections`)
  const runsA: Measured[] = []
  const runsB: Measured[] = []
  const ratios: number[] = []
  for (let i = 0; i < PAIRS; i++) {
    runsA.push(await measure(anchor, levelA, insertRun(DURATION)))
    runsB.push(await measure(service, levelB, decisionRun(DURATION)))
    ratios.push(runsB[i]!.rps / runsA[i]!.rps)
    console.error(`  pair ${i + 1}: (a) ${describe(runsA[i]!)}\n          (b) ${describe(runsB[i]!)}; ratio ${ratios[i]!.toFixed(3)}`)
  }
  const a = combined(runsA)
  const max = combined(runsB)
  // Half load, open loop: first the anchor at the same rate (this machine's floor for that latency: one HTTP hop
  // and one durable insert, with the same load generator and the same neighbours), then the decisions.
  const halfRate = Math.max(1, Math.floor(max.rps / 2))
  const anchorHalf = await load({ url: ANCHOR_URL, connections: max.connections, duration: DURATION, rate: halfRate, kind: 'insert' }, 'test/bench/paced-load.ts')
  await stopServer(anchor)
  const half = await decisionLoad({ url, key, connections: max.connections, duration: DURATION, rate: halfRate }, 'test/bench/paced-load.ts')
  await stopServer(service)

  const check = await createDatabase({ databaseUrl: target.url })
  const stored = Number((await sql<{ n: number }>`select count(*)::int as n from decisions`.execute(check.db)).rows[0]!.n)
  const outcomes = (await sql<{ outcome: string; n: number }>`select outcome, count(*)::int as n from decisions group by outcome order by outcome`.execute(check.db)).rows
  const scored = Number((await sql<{ n: number }>`select count(*)::int as n from decisions where pd is not null`.execute(check.db)).rows[0]!.n)
  await check.db.destroy()
  return [
    { bench: 'decisions', what: `(a) bare route, durable 2 KB jsonb insert (anchor), ${a.connections} connections (best of ${LEVELS.join('/')}), mean of ${PAIRS} runs`, value: a.rps, unit: 'req/s', p50Ms: a.p50, p99Ms: a.p99, ...cpuColumns(a) },
    { bench: 'decisions', what: `(b) POST /v1/decisions, max throughput (${max.connections} connections), mean of ${PAIRS} runs; ratio: median of the pairs' (${ratios.map((r) => r.toFixed(2)).join(', ')})`, value: max.rps, unit: 'req/s', ratio: median(ratios), target: '≥ 0.7× (a)', p50Ms: max.p50, p99Ms: max.p99, non2xx: max.non2xx, ...cpuColumns(max) },
    { bench: 'decisions', what: '(a) at the same rate as (b)\'s half load (open loop): the floor for that latency on this machine', value: anchorHalf.rps, unit: 'req/s', p50Ms: anchorHalf.p50, p99Ms: anchorHalf.p99, non2xx: anchorHalf.non2xx },
    { bench: 'decisions', what: '(b) at half of max throughput (open loop, constant rate, latency from each request\'s due time)', value: half.rps, unit: 'req/s', p50Ms: half.p50, p99Ms: half.p99, target: 'p99 ≤ 15 ms', non2xx: half.non2xx },
    { bench: 'decisions', what: 'decisions stored vs 2xx answers (warm-up included)', value: stored, unit: 'rows', outcomes: outcomes.map((o) => `${o.outcome}:${o.n}`).join(' '), scoredByModel: scored, answered2xx: offset },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printRecords } = await import('./table.js')
  printRecords(await runDecisionsBench())
}
