import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let d: TestDatabase
beforeAll(async () => { d = await createTestDatabase() })
afterAll(() => d.drop())

describe('a connection lost in the middle of a transaction', () => {
  it('fails that transaction only: the process lives on and the next statements get a working connection', async () => {
    const outcome = d.db.transaction().execute(async (trx) => {
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid
      if (d.kind === 'postgres') {
        // The server ends this backend while the client is checked out and idle between two statements
        // (the refresher assembling a batch, say): pg emits 'error' on the client with no query to fail.
        await sql`select pg_terminate_backend(${pid})`.execute(d.db)
        await new Promise((r) => setTimeout(r, 200))
      }
      return (await sql<{ one: number }>`select 1 as one`.execute(trx)).rows[0]!.one
    })
    if (d.kind === 'postgres') await expect(outcome).rejects.toThrow()
    else expect(await outcome).toBe(1)
    const after = await Promise.all(Array.from({ length: 12 }, () => sql<{ one: number }>`select 1 as one`.execute(d.db)))
    expect(after.map((r) => r.rows[0]!.one)).toEqual(Array(12).fill(1))
  })
})
