import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type DatabaseHandle } from '../../src/db/create-database.js'
import { executePrepared } from '../../src/db/prepared.js'
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/database.js'

let d: TestDatabase
let single: DatabaseHandle | undefined
beforeAll(async () => {
  d = await createTestDatabase()
  // One connection, so that the session seen by pg_prepared_statements is the one that ran the statement.
  if (d.url) single = await createDatabase({ databaseUrl: d.url, poolSize: 1 })
})
afterAll(async () => {
  await single?.db.destroy()
  await d.drop()
})

describe('prepared statements on the hot path', () => {
  it('answer exactly as the same statement sent unnamed, with different parameters each time', async () => {
    const db = single?.db ?? d.db
    const q = (n: number) => sql<{ x: number; s: string }>`select ${n}::int * 2 as x, ${'v' + n}::text as s`.compile(db)
    for (const n of [1, 2, 3, 40, 7]) {
      expect((await executePrepared(db, q(n))).rows).toEqual((await db.executeQuery(q(n))).rows)
      expect((await executePrepared(db, q(n))).rows).toEqual([{ x: n * 2, s: `v${n}` }])
    }
  })

  it('are parsed once per connection as a named statement on PostgreSQL, JIT off; PGlite is unaffected', async () => {
    const db = single?.db ?? d.db
    const text = sql<{ y: number }>`select ${5}::int + 1 as y /* prepared-test */`.compile(db)
    await executePrepared(db, text)
    await executePrepared(db, text)
    const named = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)
    const ours = named.rows.filter((r) => r.statement.includes('prepared-test'))
    if (!onPostgres) {
      expect(ours).toEqual([])
      return
    }
    expect(ours).toHaveLength(1)
    expect(ours[0]!.name).toMatch(/^ce_[0-9a-f]{20}$/)
    // An unregistered statement stays unnamed.
    await db.executeQuery(sql`select 1 as one /* unnamed-test */`.compile(db))
    const after = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)
    expect(after.rows.some((r) => r.statement.includes('unnamed-test'))).toBe(false)
    expect((await sql<{ jit: string }>`show jit`.execute(db)).rows[0]!.jit).toBe('off')
  })
})
