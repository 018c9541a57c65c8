import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNotifier } from '../../src/db/notify.js'
import { createTestDatabase, type TestDatabase } from '../helpers/database.js'

let d: TestDatabase
beforeAll(async () => { d = await createTestDatabase() })
afterAll(() => d.drop())

const CHANNEL = 'ce_test_changes'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Backends of this database whose last statement was a LISTEN (the notifier's connections). */
async function listeningBackends(): Promise<number[]> {
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'`.execute(d.db)
  return rows.rows.map((r) => r.pid)
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('the LISTEN connection', () => {
  it('is re-established once when several pollers ask at the same time after a loss, and close() gives it back', async () => {
    const errors: unknown[] = []
    const notifier = createNotifier(d, (err) => errors.push(err))
    const got: string[] = []
    await notifier.subscribe(CHANNEL, (payload) => got.push(payload))

    if (d.kind !== 'postgres') {
      // One process: publishing is a no-op and the callers reload in-process.
      await notifier.publish(d.db, CHANNEL, 'one')
      await notifier.ensureConnected()
      await notifier.close()
      expect(got).toEqual([])
      return
    }

    const pool = d.pool!
    const first = await listeningBackends()
    expect(first).toHaveLength(1)
    await sql`select pg_terminate_backend(${first[0]!})`.execute(d.db)
    await until(async () => errors.length > 0, 'the notifier to see its connection end')

    // The rules and the models pollers both call ensureConnected on their next tick.
    await Promise.all([notifier.ensureConnected(), notifier.ensureConnected(), notifier.ensureConnected()])
    const again = await listeningBackends()
    expect(again).toHaveLength(1)
    expect(again[0]).not.toBe(first[0])

    // Each notification reaches the listener once.
    await notifier.publish(d.db, CHANNEL, 'after-loss')
    await until(async () => got.length > 0, 'the notification')
    await sleep(200)
    expect(got).toEqual(['after-loss'])

    // close() returns the connection: nothing stays checked out of the pool, so pool.end() can finish.
    await notifier.close()
    await until(async () => (await listeningBackends()).length === 0, 'the LISTEN backend to go')
    expect(pool.totalCount - pool.idleCount).toBe(0)
  })

  it('listens to a channel subscribed while it connects', async () => {
    const notifier = createNotifier(d)
    const got: string[] = []
    await Promise.all([
      notifier.subscribe(`${CHANNEL}_a`, (p) => got.push(`a:${p}`)),
      notifier.subscribe(`${CHANNEL}_b`, (p) => got.push(`b:${p}`)),
    ])
    await notifier.publish(d.db, `${CHANNEL}_a`, '1')
    await notifier.publish(d.db, `${CHANNEL}_b`, '2')
    if (d.kind === 'postgres') {
      await until(async () => got.length >= 2, 'both notifications')
      expect(got.sort()).toEqual(['a:1', 'b:2'])
      expect(await listeningBackends()).toHaveLength(1)
    } else {
      expect(got).toEqual([])
    }
    await notifier.close()
    if (d.kind === 'postgres') expect(d.pool!.totalCount - d.pool!.idleCount).toBe(0)
  })
})
