/**
 * Reliability run (scripted, not part of the suite: it stops the machine's PostgreSQL for 10 s).
 *   npx tsx test/bench/outage.ts [database]
 * A service on PostgreSQL takes decisions at a steady rate; PostgreSQL is stopped for 10 s and started again.
 * Checks: every answer is 200 or 503 (with Retry-After), every 200 is a stored decision, 200s resume, and the
 * service then stops on SIGTERM (exit code 0, within 15 s).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { readdirSync } from 'node:fs'
import pg from 'pg'
import { startServer, stopServer } from './server-process.js'

const db = process.argv[2] ?? 'ce_bench_decisions'
const url = `postgres://postgres@127.0.0.1:5432/${db}`
const ADMIN = 'outage-admin-key-0123456789'
const cluster = readdirSync('/etc/postgresql')[0]!
// Asynchronous, so that the clients keep running (and time-stamping their answers) while pg_ctl waits.
const pgctl = (action: 'stop' | 'start') => promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', action, ...(action === 'stop' ? ['-m', 'fast'] : [])])

const service = await startServer(['src/main.ts'], {
  DATABASE_URL: url, PORT: '3915', BOOTSTRAP_ADMIN_KEY: ADMIN, LOG_LEVEL: 'error', DEMO_DATA: '0',
}, /Graph features computed/)
const base = 'http://127.0.0.1:3915'
const key = ((await (await fetch(`${base}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'outage', role: 'origination' }) })).json()) as { key: string }).key
const client = new pg.Client({ connectionString: url })
await client.connect()
const usccs = (await client.query<{ uscc: string }>("select uscc from enterprises where status = 'ACTIVE' limit 2000")).rows.map((r) => r.uscc)
await client.end()

const started = Date.now()
const answers: { t: number; status: number; id: string; retryAfter: string | null }[] = []
let n = 0
let stopAt = 0
let stoppedAt = 0
let startAt = 0
const worker = async () => {
  while (Date.now() - started < 35_000) {
    const id = `OUTAGE-${started}-${++n}`
    try {
      const res = await fetch(`${base}/v1/decisions`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ applicationId: id, uscc: usccs[n % usccs.length], product: 'TAX_LOAN', amount: 150_000, termMonths: 12 }),
      })
      await res.text()
      answers.push({ t: Date.now() - started, status: res.status, id, retryAfter: res.headers.get('retry-after') })
    } catch {
      answers.push({ t: Date.now() - started, status: 0, id, retryAfter: null })
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}
const control = (async () => {
  await new Promise((r) => setTimeout(r, 10_000))
  stopAt = Date.now() - started
  await pgctl('stop')
  stoppedAt = Date.now() - started
  console.error(`PostgreSQL stopping at ${stopAt} ms, down at ${stoppedAt} ms`)
  await new Promise((r) => setTimeout(r, 10_000))
  // The window ends when the start is asked for: PostgreSQL accepts connections before pg_ctl returns.
  startAt = Date.now() - started
  await pgctl('start')
  console.error(`PostgreSQL start asked for at ${startAt} ms, up again`)
})()
await Promise.all([...Array.from({ length: 4 }, worker), control])
// A node must also stop cleanly after an outage (a connection kept since then would hold up pool.end()).
const stopStarted = Date.now()
const exitCode = await stopServer(service, 15_000)
const stopMs = Date.now() - stopStarted

const byStatus = new Map<number, number>()
for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1)
const ok = answers.filter((a) => a.status === 200)
const check = new pg.Client({ connectionString: url })
await check.connect()
const stored = (await check.query<{ n: number }>('select count(*)::int as n from decisions where application_id = any($1)', [ok.map((a) => a.id)])).rows[0]!.n
const storedAll = (await check.query<{ n: number }>("select count(*)::int as n from decisions where application_id like $1", [`OUTAGE-${started}-%`])).rows[0]!.n
await check.end()
// While PostgreSQL is down (pg_ctl stop has returned, start not yet): a decision committed during the shutdown may still be answered 200 before that.
const during = answers.filter((a) => a.t > stoppedAt && a.t < startAt)
const after = answers.filter((a) => a.t > startAt + 3000)
console.log(JSON.stringify({
  answers: answers.length, byStatus: Object.fromEntries(byStatus), okStored: `${stored}/${ok.length}`, rowsForThisRun: storedAll,
  postgresShutdownMs: stoppedAt - stopAt, non503ErrorsDuringOutage: during.filter((a) => a.status !== 503).length, outageAnswers: during.length,
  all503HaveRetryAfter: answers.filter((a) => a.status === 503).every((a) => a.retryAfter !== null),
  okAfterRecovery: after.filter((a) => a.status === 200).length, answersAfterRecovery: after.length,
  serviceExitAfterSigterm: exitCode, serviceStopMs: stopMs,
}, null, 1))
process.exit(0)
