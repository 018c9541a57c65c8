/**
 * Open-loop load at a constant rate, for latency at a given throughput: request i is due at start + i/rate
 * whatever the earlier ones are doing, and its latency is counted from when it was due (so a stalled server
 * cannot hide its queue: no coordinated omission). autocannon's rate limit releases each second's quota in a
 * burst, which measures bursts, not a steady half load. Runs as its own process, like load.ts. Like wrk2's
 * calibration period, the first `warmup` seconds (default 2) run at the same rate but are not counted: this
 * process is new, and its own JIT warm-up would otherwise show as the server's latency.
 * Args: JSON {url, key?, usccsFile?, offset?, rate, duration, connections, kind?: 'insert' | 'decision'} (insert: the anchor's 2 KB body); prints the result as JSON on the last line.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { requestBody, type BodyKind } from './bodies.js'

const opts = JSON.parse(process.argv[2]!) as { url: string; key?: string; usccsFile?: string; offset?: number; rate: number; duration: number; connections: number; warmup?: number; kind?: BodyKind }
const usccs = opts.usccsFile ? (JSON.parse(readFileSync(opts.usccsFile, 'utf8')) as string[]) : []
const url = new URL(opts.url)
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections })
const latencies: number[] = []
let non2xx = 0
let errors = 0
let answered = 0
let n = 0

function send(due: number): Promise<void> {
  const i = n++
  const body = requestBody(opts.kind ?? 'decision', `PACED-${process.pid}-${i}`, i, usccs[((opts.offset ?? 0) + i) % usccs.length])
  return new Promise((resolve) => {
    const req = http.request({
      host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}) },
    }, (res) => {
      res.resume()
      res.on('end', () => {
        if (i >= warmupCount) latencies.push(performance.now() - due)
        answered++
        if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++
        resolve()
      })
    })
    req.on('error', () => { errors++; resolve() })
    req.end(body)
  })
}

// The server is warm; the generator's own sockets are not. Open them (keep-alive, GET /healthz) before the
// clock starts, so connection setup is not counted as decision latency.
const warm = (): Promise<void> => new Promise((resolve) => {
  http.get({ host: url.hostname, port: url.port, path: '/healthz', agent }, (res) => { res.resume(); res.on('end', () => resolve()) }).on('error', () => resolve())
})
for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: opts.connections }, warm))

const start = performance.now()
const warmupCount = Math.floor(opts.rate * (opts.warmup ?? 2))
const total = warmupCount + Math.floor(opts.rate * opts.duration)
const inFlight: Promise<void>[] = []
let sent = 0
await new Promise<void>((done) => {
  const tick = () => {
    const now = performance.now()
    // Everything due by now goes out, each stamped with its own due time.
    while (sent < total && start + (sent * 1000) / opts.rate <= now) {
      inFlight.push(send(start + (sent * 1000) / opts.rate))
      sent++
    }
    if (sent >= total) done()
    else setTimeout(tick, 1)
  }
  tick()
})
await Promise.all(inFlight)
agent.destroy()
latencies.sort((a, b) => a - b)
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10
const seconds = (performance.now() - start) / 1000 - (opts.warmup ?? 2)
// total counts every answer, calibration included (the benchmark compares it with the stored rows).
console.log(JSON.stringify({ rps: latencies.length / seconds, p50: pct(50), p99: pct(99), non2xx, errors, timeouts: 0, total: answered }))
