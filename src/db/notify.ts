import type pg from 'pg'
import { sql } from 'kysely'
import type { DatabaseHandle } from './create-database.js'
import type { Executor } from './database.js'

export type Listener = (payload: string) => void

/**
 * Cross-node change announcements: NOTIFY inside the changing transaction (delivered on commit), LISTEN on one
 * dedicated connection per node. On PGlite there is one process, so publishing is a no-op and the changing
 * code path reloads in-process; callers also poll as a fallback for a dropped LISTEN connection.
 */
export function createNotifier(handle: DatabaseHandle, onError: (err: unknown) => void = () => {}) {
  const listeners = new Map<string, Set<Listener>>()
  let client: pg.PoolClient | null = null
  let dropClient: (() => void) | null = null
  let connecting: Promise<void> | null = null
  let closed = false

  /**
   * One attempt at a time. The rules and the models pollers both call ensureConnected after a lost connection;
   * two attempts at once used to keep both connections, and the first stayed checked out of the pool for good
   * (listening twice, never released), so the pool lost a connection per outage and shutdown hung in pool.end().
   */
  function connect(): Promise<void> {
    if (!handle.pool || closed || client) return Promise.resolve()
    connecting ??= attempt(handle.pool).finally(() => { connecting = null })
    return connecting
  }

  async function attempt(pool: pg.Pool): Promise<void> {
    let c: pg.PoolClient
    try {
      c = await pool.connect()
    } catch (err) {
      onError(err)
      return
    }
    let released = false
    const drop = () => { if (!released) { released = true; c.release(true) } }
    c.on('notification', (msg) => {
      for (const l of listeners.get(msg.channel) ?? []) l(msg.payload ?? '')
    })
    c.on('error', (err) => {
      // A connection lost after close() (a dropped database, a shutdown) or already given up is expected.
      if (closed || released) return
      onError(err)
      if (client === c) client = null
      drop()
    })
    try {
      // Until every channel is listened to: a subscription made while this runs is included.
      const listened = new Set<string>()
      for (let next = nextChannel(listened); next !== undefined; next = nextChannel(listened)) {
        await c.query(`listen "${next}"`)
        listened.add(next)
      }
    } catch (err) {
      drop()
      onError(err)
      return
    }
    if (closed) {
      drop()
      return
    }
    client = c
    dropClient = drop
  }

  const nextChannel = (done: Set<string>): string | undefined => [...listeners.keys()].find((ch) => !done.has(ch))

  return {
    async publish(trx: Executor, channel: string, payload: string): Promise<void> {
      if (handle.kind === 'postgres') await sql`select pg_notify(${channel}, ${payload})`.execute(trx)
    },
    async subscribe(channel: string, fn: Listener): Promise<void> {
      const set = listeners.get(channel) ?? new Set<Listener>()
      const isNew = !listeners.has(channel)
      set.add(fn)
      listeners.set(channel, set)
      if (client && isNew) await client.query(`listen "${channel}"`)
      else await connect()
    },
    /** Re-establishes LISTEN after a lost connection (called from the callers' periodic check). */
    async ensureConnected(): Promise<void> {
      if (!client) await connect()
    },
    async close(): Promise<void> {
      closed = true
      await connecting
      client = null
      // The LISTEN connection is destroyed, not returned: a pooled connection must not keep listening.
      dropClient?.()
      dropClient = null
    },
  }
}
export type Notifier = ReturnType<typeof createNotifier>
