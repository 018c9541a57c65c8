import { loadConfig } from '../config.js'
import { createDatabase } from '../db/create-database.js'
import { migrateToLatest } from '../db/migrate.js'

const config = loadConfig()
const handle = await createDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
const applied = await migrateToLatest(handle.db)
console.log(applied.length > 0 ? `Applied: ${applied.join(', ')}` : 'The schema is up to date')
await handle.db.destroy()
