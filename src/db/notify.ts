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
  let closed = false

  async function connect(): Promise<void> {
    if (!handle.pool || closed || client) return
    try {
      const c = await handle.pool.connect()
      c.on('notification', (msg) => {
        for (const l of listeners.get(msg.channel) ?? []) l(msg.payload ?? '')
      })
      let released = false
      const drop = () => { if (!released) { released = true; c.release(true) } }
      c.on('error', (err) => {
        // A connection lost after close() (a dropped database, a shutdown) is expected: nothing to report.
        if (closed) return
        onError(err)
        if (client === c) client = null
        drop()
      })
      dropClient = drop
      for (const channel of listeners.keys()) await c.query(`listen "${channel}"`)
      client = c
    } catch (err) {
      onError(err)
    }
  }

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
      client = null
      // The LISTEN connection is destroyed, not returned: a pooled connection must not keep listening.
      dropClient?.()
    },
  }
}
export type Notifier = ReturnType<typeof createNotifier>
