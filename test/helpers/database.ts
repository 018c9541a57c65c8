import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.js'
import { PGLITE_DUMP, TEMPLATE_DB } from './paths.js'
import { withDatabase } from './global-setup.js'

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL)

export interface TestDatabase extends DatabaseHandle {
  /** The connection string when on PostgreSQL (for a second node or a spawned process). */
  url?: string
  drop(): Promise<void>
}

/** A fresh, migrated database for one test file: a PGlite from the run's dump, or a PostgreSQL clone of the template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const name = `ce_test_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`)
    await admin.end()
    const dbUrl = withDatabase(url, name)
    const handle = await createDatabase({ databaseUrl: dbUrl })
    return {
      ...handle, url: dbUrl,
      async drop() {
        await handle.db.destroy()
        const c = new pg.Client({ connectionString: url })
        await c.connect()
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      },
    }
  }
  const dump = new Blob([readFileSync(PGLITE_DUMP)])
  const handle = await createDatabase({ pgliteDir: 'memory://', loadDataDir: dump })
  return { ...handle, drop: () => handle.db.destroy() }
}
