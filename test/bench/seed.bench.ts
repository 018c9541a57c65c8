import { spawn } from 'node:child_process'
import { freshPostgres } from './bench-db.js'
import type { Row } from './table.js'

const N = Number(process.env.BENCH_SEED_ENTERPRISES ?? 1_000_000)

/** `npm run seed` of N enterprises into a fresh PostgreSQL database, as a separate process: wall time and peak RSS. */
export async function runSeedBench(): Promise<Row[]> {
  const target = await freshPostgres('ce_bench_seed')
  await target.db.destroy()
  const t0 = performance.now()
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts', '--enterprises', String(N), '--seed', '1'], {
      env: { ...process.env, DATABASE_URL: target.url }, stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => { out += c.toString() })
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`seed exited with ${code}: ${out}`))))
  })
  const seconds = (performance.now() - t0) / 1000
  const rss = Number(/peak RSS (\d+) MB/.exec(output)?.[1] ?? NaN)
  const counts = /Seeded (\{.*\})/.exec(output)?.[1] ?? '{}'
  const relations = (JSON.parse(counts) as { relations?: number }).relations ?? 0
  return [
    { bench: 'seed', what: `npm run seed, ${N.toLocaleString('en-US')} enterprises, ${relations.toLocaleString('en-US')} relations → PostgreSQL`, value: seconds, unit: 's' },
    { bench: 'seed', what: 'seed peak RSS', value: rss, unit: 'MB' },
  ]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./table.js')
  printTable(await runSeedBench())
}
