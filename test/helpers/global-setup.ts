import { mkdirSync, writeFileSync } from 'node:fs'
import pg from 'pg'
import { createDatabase } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { PGLITE_DUMP, TEMPLATE_DB } from './paths.js'

/**
 * Migrates once per run: a PGlite dump that every test file starts from, or, with TEST_DATABASE_URL,
 * a PostgreSQL template database that every test file clones (CREATE DATABASE … TEMPLATE).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    await client.query(`drop database if exists ${TEMPLATE_DB} with (force)`)
    await client.query(`create database ${TEMPLATE_DB}`)
    await client.end()
    const handle = await createDatabase({ databaseUrl: withDatabase(url, TEMPLATE_DB) })
    await migrateToLatest(handle.db)
    await handle.db.destroy()
    return async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`drop database if exists ${TEMPLATE_DB} with (force)`)
      await c.end()
    }
  }
  const handle = await createDatabase({ pgliteDir: 'memory://' })
  await migrateToLatest(handle.db)
  const dump = await handle.pglite!.dumpDataDir('none')
  mkdirSync(new URL('.', PGLITE_DUMP), { recursive: true })
  writeFileSync(PGLITE_DUMP, Buffer.from(await dump.arrayBuffer()))
  await handle.db.destroy()
  return async () => {}
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = '/' + name
  return u.toString()
}
