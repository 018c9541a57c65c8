import { mkdirSync } from 'node:fs'
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import type { Database } from './database.js'
import { sendRegisteredAsPrepared } from './prepared.js'

/** OIDs whose default parsing differs between pg and PGlite; both are given the same parsers. */
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const

const parseNumber = (value: string): number => Number(value)
/** Dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the process time zone. */
const keepDate = (value: string): string => value

export interface DatabaseHandle {
  db: Kysely<Database>
  kind: 'postgres' | 'pglite'
  /** The embedded instance, when kind is 'pglite' (for dumps in tests and in-process notifications). */
  pglite?: PGlite
  /** The pool, when kind is 'postgres' (LISTEN/NOTIFY clients come from it). */
  pool?: pg.Pool
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined
  pgliteDir?: string
  /** Start the embedded database from a dump made by PGlite.dumpDataDir() (tests). */
  loadDataDir?: Blob | File
  poolSize?: number
}

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      if (oid === OID.INT8 || oid === OID.NUMERIC) return parseNumber
      if (oid === OID.DATE) return keepDate
      return pg.types.getTypeParser(oid, format as 'text')
    }) as pg.CustomTypesConfig['getTypeParser'],
  }
}

/** One factory for both databases, with type parsers set so that both return the same JavaScript types. */
export async function createDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes(),
      connectionTimeoutMillis: 2000,
      // Connections are kept, not closed after 10 s idle: a new backend re-parses the prepared statements and
      // re-warms its catalog caches, which showed as latency bursts under steady load.
      idleTimeoutMillis: 0,
      // An OLTP service: JIT compilation triggers on cost estimates alone and costs tens of milliseconds per
      // execution (≈ 39 ms for the decision batch statement), many times the statement itself.
      options: '-c jit=off',
    })
    // An idle client that loses its server must not crash the process; queries report the failure.
    pool.on('error', () => {})
    // A checked-out client whose server goes away (between two statements of a transaction, say) emits 'error'
    // with nobody listening, which would end the process; its statements fail on their own and the pool drops
    // the client when it is released, so the event itself needs no handling.
    pool.on('connect', (client) => {
      client.on('error', () => {})
      sendRegisteredAsPrepared(client)
    })
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres', pool }
  }
  const dir = options.pgliteDir ?? 'memory://'
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true })
  const pglite = await PGlite.create(dir, {
    parsers: { [OID.INT8]: parseNumber, [OID.NUMERIC]: parseNumber, [OID.DATE]: keepDate },
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  })
  return { db: new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }), kind: 'pglite', pglite }
}
