import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { createDatabase } from '../db/create-database.js'
import { migrateToLatest } from '../db/migrate.js'
import { seedPortfolio } from '../synth/seed.js'

const { values } = parseArgs({ options: { enterprises: { type: 'string', default: '20000' }, seed: { type: 'string', default: '42' } } })
const enterprises = Number(values.enterprises)
const seed = Number(values.seed)
if (!Number.isInteger(enterprises) || enterprises < 1) throw new Error('--enterprises must be a positive whole number')
if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative whole number')

const config = loadConfig()
const handle = await createDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
await migrateToLatest(handle.db)
const started = Date.now()
const counts = await seedPortfolio(handle.db, { enterprises, seed, progress: process.stderr.isTTY ? 'bar' : 'lines' })
const seconds = (Date.now() - started) / 1000
console.log(`Seeded ${JSON.stringify(counts)} in ${seconds.toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
await handle.db.destroy()
