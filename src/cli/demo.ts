/**
 * npm run demo -- --key <origination or admin key> [--url http://127.0.0.1:3000] [--seconds 30] [--concurrency 8]
 * Streams realistic applications for enterprises of the running service's portfolio to POST /v1/decisions and
 * prints a live summary every second: rate, latency percentiles and the outcome mix.
 */
import { parseArgs } from 'node:util'

const { values } = parseArgs({ options: {
  url: { type: 'string', default: 'http://127.0.0.1:3000' }, key: { type: 'string' },
  seconds: { type: 'string', default: '30' }, concurrency: { type: 'string', default: '8' },
} })
if (!values.key) {
  console.error('usage: npm run demo -- --key <API key with role origination or admin> [--url …] [--seconds 30] [--concurrency 8]')
  process.exit(2)
}
const headers = { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' }
const base = values.url!.replace(/\/$/, '')

async function portfolio(): Promise<string[]> {
  const out: string[] = []
  let cursor: string | null = null
  while (out.length < 5000) {
    const res: Response = await fetch(`${base}/v1/enterprises?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { headers })
    if (!res.ok) throw new Error(`GET /v1/enterprises: ${res.status} ${await res.text()}`)
    const page = (await res.json()) as { items: { uscc: string; status: string }[]; nextCursor: string | null }
    out.push(...page.items.filter((e) => e.status === 'ACTIVE').map((e) => e.uscc))
    if (!page.nextCursor) break
    cursor = page.nextCursor
  }
  if (out.length === 0) throw new Error('the service has no active enterprises: start it with demo data')
  return out
}

const PRODUCTS = [['TAX_LOAN', 3_000_000, 12], ['TECH_LOAN', 5_000_000, 36], ['GOV_PROCUREMENT_LOAN', 10_000_000, 12]] as const
const usccs = await portfolio()
const latencies: number[] = []
const outcomes = new Map<string, number>()
let sent = 0
let failed = 0
const until = Date.now() + Number(values.seconds) * 1000
const run = Date.now().toString(36)

async function worker(): Promise<void> {
  while (Date.now() < until) {
    const n = sent++
    const [product, cap, term] = PRODUCTS[n % PRODUCTS.length]!
    const amount = Math.min(cap, 50_000 * (1 + Math.floor(Math.random() * 40)))
    const body = { applicationId: `DEMO-${run}-${n}`, uscc: usccs[Math.floor(Math.random() * usccs.length)], product, amount, termMonths: Math.min(term, 12), channel: 'demo' }
    const t0 = performance.now()
    const res = await fetch(`${base}/v1/decisions`, { method: 'POST', headers, body: JSON.stringify(body) })
    latencies.push(performance.now() - t0)
    if (!res.ok) { failed++; await res.text(); continue }
    const d = (await res.json()) as { outcome: string }
    outcomes.set(d.outcome, (outcomes.get(d.outcome) ?? 0) + 1)
  }
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0 }
const started = Date.now()
const ticker = setInterval(() => {
  const secs = (Date.now() - started) / 1000
  const done = latencies.length
  const mix = [...outcomes.entries()].map(([k, v]) => `${k} ${((100 * v) / Math.max(1, done - failed)).toFixed(0)}%`).join('  ')
  process.stdout.write(`${secs.toFixed(0).padStart(3)} s  ${done} decisions  ${(done / secs).toFixed(0)}/s  p50 ${pct(latencies, 0.5).toFixed(1)} ms  p99 ${pct(latencies, 0.99).toFixed(1)} ms  ${mix}  errors ${failed}\n`)
}, 1000)
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker))
clearInterval(ticker)
console.log(`done: ${latencies.length} decisions, p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, errors ${failed}`)
