import { buildApp } from '../app.js'
import { testConfig } from '../config.js'
import { createDatabase } from '../db/create-database.js'
import { migrateToLatest } from '../db/migrate.js'

/** The OpenAPI document as committed in openapi/openapi.json (stable key order, trailing newline). */
export async function buildOpenApiDocument(): Promise<string> {
  const handle = await createDatabase({ pgliteDir: 'memory://' })
  await migrateToLatest(handle.db)
  const { app } = await buildApp(testConfig(), handle)
  const doc = JSON.stringify(app.swagger(), null, 2) + '\n'
  await app.close()
  await handle.db.destroy()
  return doc
}
