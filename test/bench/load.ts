/**
 * Load generator for the decisions benchmark, run as its own process so it does not share the service's
 * event loop: autocannon with one unique applicationId per request and USCCs drawn from the portfolio.
 * Args: JSON {url, key?, usccsFile?, offset?, connections, duration, rate?, kind: 'insert' | 'decision'}: USCCs are read
 * from the file (a JSON array) starting at `offset`; prints the result as JSON.
 */
import { readFileSync } from 'node:fs'
import autocannon, { type Request } from 'autocannon'
import { requestBody, type BodyKind } from './bodies.js'

const opts = JSON.parse(process.argv[2]!) as { url: string; key?: string; usccsFile?: string; offset?: number; connections: number; duration: number; rate?: number; kind: BodyKind }
const usccs = opts.usccsFile ? (JSON.parse(readFileSync(opts.usccsFile, 'utf8')) as string[]) : []
let n = opts.offset ?? 0
// CPU of this process while it generates load (its start-up excluded), for the benchmark's CPU budget per request.
const cpu0 = process.cpuUsage()
const result = await autocannon({
  url: opts.url,
  connections: opts.connections,
  duration: opts.duration,
  ...(opts.rate ? { overallRate: opts.rate } : {}),
  requests: [{
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}) },
    setupRequest: (req: Request) => {
      n++
      return { ...req, body: requestBody(opts.kind, `BENCH-${process.pid}-${n}`, n, usccs[n % usccs.length]) }
    },
  }],
})
const cpu = process.cpuUsage(cpu0)
console.log(JSON.stringify({
  cpuMs: (cpu.user + cpu.system) / 1000, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, total: result.requests.total,
}))
