import { loadConfig } from '../config.js'
import { createDatabase } from '../db/create-database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createGraphService } from '../graph/graph.service.js'
import { createProgress } from './progress.js'

const command = process.argv[2]
if (command !== 'recompute') {
  console.error('usage: npm run graph -- recompute')
  process.exit(2)
}
const config = loadConfig()
const handle = await createDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
await migrateToLatest(handle.db)
const progress = createProgress(process.stderr.isTTY ? 'bar' : 'lines')
const result = await createGraphService(handle.db).recompute((phase, done, total) => progress.update(phase, done, total))
console.log(`Graph snapshot ${result.snapshotId}: ${result.enterprises} enterprises, ${result.nodes} nodes, ${result.edges} edges in ${(result.millis / 1000).toFixed(1)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
await handle.db.destroy()
