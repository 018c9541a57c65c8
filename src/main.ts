import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { createDatabase } from './db/create-database.js'
import { migrateToLatest } from './db/migrate.js'
import { generateKey } from './api-keys/api-keys.service.js'
import { isPortfolioEmpty, seedPortfolio } from './synth/seed.js'

/** How long a stopping node may take to drain requests and close its connections before it exits regardless. */
const SHUTDOWN_GRACE_MS = 10_000

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`)
      process.exit(78)
    }
    throw err
  }
  const handle = await createDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir })
  const applied = await migrateToLatest(handle.db)
  if (applied.length > 0) console.log(`Migrated: ${applied.join(', ')}`)

  if (config.demoData && config.demoEnterprises > 0 && (await isPortfolioEmpty(handle.db))) {
    console.log(`Seeding the demo portfolio: ${config.demoEnterprises} enterprises (seed ${config.demoSeed}); this happens once`)
    await seedPortfolio(handle.db, { enterprises: config.demoEnterprises, seed: config.demoSeed, progress: process.stderr.isTTY ? 'bar' : 'lines' })
  }

  const { app, services } = await buildApp(config, handle)
  let printedKey: string | undefined
  if (config.bootstrapAdminKey) {
    await services.apiKeys.ensureAdminKey(config.bootstrapAdminKey)
  } else if (handle.kind === 'pglite' && (await services.apiKeys.hasNoAdminKey())) {
    printedKey = generateKey()
    await services.apiKeys.ensureAdminKey(printedKey, 'generated-admin')
  }

  const address = await app.listen({ port: config.port, host: config.host })
  // The relation graph is loaded and its features computed in the background; graph views answer 503 until then.
  // The feature store's refresher starts after it (the recompute rewrites every graph feature row, which clears
  // the store); until the store is current, decisions assemble features live.
  if (!(await isPortfolioEmpty(handle.db))) {
    services.graph.recompute().then(
      (r) => console.log(`Graph features computed: ${r.enterprises} enterprises, ${r.edges} edges in ${(r.millis / 1000).toFixed(1)} s`),
      (err) => console.error('Graph recompute failed', err),
    ).finally(() => services.featureStore.start())
  } else {
    services.featureStore.start()
  }
  const mode = handle.kind === 'pglite' ? `embedded PGlite at ${config.pgliteDir} (not crash-safe: use PostgreSQL in production)` : 'PostgreSQL'
  console.log(`Credit Engine listening on ${address} (${mode})`)
  console.log(`API docs: ${address}/docs   OpenAPI: ${address}/openapi.json`)
  if (printedKey) {
    console.log(`Admin API key (shown once, store it now): ${printedKey}`)
    console.log(`  try: curl -H "Authorization: Bearer ${printedKey}" ${address}/v1/enterprises?limit=3`)
  } else if (config.bootstrapAdminKey) {
    console.log('Admin API key: the value of BOOTSTRAP_ADMIN_KEY')
  } else {
    console.log('Admin API key: set BOOTSTRAP_ADMIN_KEY to create one at boot')
  }

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    // A close step that never settles must not keep a stopped node alive: after the grace period it exits anyway.
    const force = setTimeout(() => {
      console.error(`${signal}: shutdown did not finish within ${SHUTDOWN_GRACE_MS} ms; exiting`)
      process.exit(1)
    }, SHUTDOWN_GRACE_MS)
    force.unref()
    try {
      console.log(`${signal}: draining in-flight requests`)
      // Fastify answers 503 to new requests while in-flight ones finish, then the database closes.
      await app.close()
      await handle.db.destroy()
      process.exit(0)
    } catch (err) {
      console.error(`${signal}: shutdown failed`, err)
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
