import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let d: TestDatabase
beforeAll(async () => { d = await createTestDatabase() })
afterAll(() => d.drop())

describe('database type parsing is the same on pg and PGlite', () => {
  it('returns bigint and numeric as numbers, dates as YYYY-MM-DD strings, timestamps as Dates', async () => {
    const { rows } = await sql<{ a: unknown; b: unknown; c: unknown; d: unknown; e: unknown }>`
      select 9007199254740::int8 as a, 1234567.89::numeric(20,2) as b, '2020-02-29'::date as c, now() as d, '{"k":[1]}'::jsonb as e`.execute(d.db)
    expect(rows[0]).toMatchObject({ a: 9007199254740, b: 1234567.89, c: '2020-02-29', e: { k: [1] } })
    expect(rows[0]!.d).toBeInstanceOf(Date)
  })
})
