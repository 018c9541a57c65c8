import pg from 'pg'
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.js'
import { migrateToLatest } from '../../src/db/migrate.js'

export const BENCH_PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function urlFor(name: string): string {
  const u = new URL(BENCH_PG_URL)
  u.pathname = '/' + name
  return u.toString()
}

/** A freshly created and migrated PostgreSQL database for one benchmark. */
export async function freshPostgres(name: string): Promise<DatabaseHandle & { url: string }> {
  const admin = new pg.Client({ connectionString: BENCH_PG_URL })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = urlFor(name)
  const handle = await createDatabase({ databaseUrl: url })
  await migrateToLatest(handle.db)
  return { ...handle, url }
}

export async function freshPglite(): Promise<DatabaseHandle> {
  const handle = await createDatabase({ pgliteDir: 'memory://' })
  await migrateToLatest(handle.db)
  return handle
}
