/**
 * The online feature store's refresher: keeps one assembled feature vector per enterprise current for today, so
 * a decision reads the enterprise's feature row with one index look-up (see the enterprise_features migration).
 *
 * Source tables clear an enterprise's row and bump its epoch on every change (database triggers); the refresher
 * takes cleared rows and rows of an earlier day in small batches, assembles them with the same code as every
 * other path (features/assemble.ts), and writes each vector only if the epoch is unchanged. One node refreshes
 * at a time (an advisory lock), others skip the pass. Decisions never wait for it: a row that is not current is
 * assembled live by the decision's own statement.
 */
import type { Db } from '../db/database.js'
import { assembleFeatures } from './assemble.js'
import {
  asOfDateOf, dropFeatureRows, featureStoreCounts, loadFeatureSources, pendingFeatureRows, tryTransactionLock, writeFeatureRows, type StoredFeatureRow,
} from './features.repository.js'

/** The advisory lock key of the refresher (any constant shared by every node). */
const LOCK_KEY = 7_301_301

export interface FeatureStoreOptions {
  /** Pause between passes once the store is current; 0 turns the background refresher off. */
  intervalMs: number
  /** Enterprises per batch: small, so that assembling a batch never holds the event loop for long. */
  batch: number
  log: { info(msg: string): void; warn(obj: unknown, msg?: string): void }
}

export interface RefreshResult { written: number; dropped: number; skipped: number; more: boolean }

export function createFeatureStore(db: Db, options: FeatureStoreOptions, clock: () => Date = () => new Date()) {
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let pass: Promise<void> = Promise.resolve()
  let announced = false

  /** One batch under the advisory lock; `more` says whether another batch is waiting. */
  async function refreshBatch(): Promise<RefreshResult> {
    const asOf = clock()
    const day = asOfDateOf(asOf)
    return db.transaction().execute(async (trx) => {
      if (!(await tryTransactionLock(trx, LOCK_KEY))) return { written: 0, dropped: 0, skipped: 0, more: false }
      const pending = await pendingFeatureRows(trx, day, options.batch)
      if (pending.length === 0) return { written: 0, dropped: 0, skipped: 0, more: false }
      const sources = new Map((await loadFeatureSources(trx, pending.map((p) => p.uscc), asOf)).map((s) => [s.uscc, s]))
      const rows: StoredFeatureRow[] = []
      const gone = []
      for (const p of pending) {
        const s = sources.get(p.uscc)
        if (!s) { gone.push(p); continue }
        const a = assembleFeatures(s, asOf)
        rows.push({ ...p, snapshotId: a.snapshotId, legalRepPersonId: s.legalRepPersonId, features: a.values })
      }
      const written = await writeFeatureRows(trx, day, rows)
      await dropFeatureRows(trx, gone)
      return { written, dropped: gone.length, skipped: rows.length - written, more: pending.length === options.batch }
    })
  }

  /** Batches until nothing is pending (tests, the CLI, and each background pass). */
  async function refreshAll(onBatch?: (r: RefreshResult) => void): Promise<{ written: number; dropped: number }> {
    let written = 0
    let dropped = 0
    for (;;) {
      const r = await refreshBatch()
      written += r.written
      dropped += r.dropped
      onBatch?.(r)
      if (!r.more || stopped) return { written, dropped }
      // Let waiting requests run between batches (on PGlite the queries themselves run on this thread).
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  function schedule(ms: number): void {
    if (stopped) return
    timer = setTimeout(() => {
      pass = refreshAll().then(async (r) => {
        // Announced once the store first becomes current, and after every pass that caught up a large backlog.
        if (announced && r.written < options.batch) return
        const counts = await featureStoreCounts(db, asOfDateOf(clock()))
        if (counts.pending > 0) return
        announced = true
        options.log.info(`Feature store current: ${counts.current} enterprises (${r.written} refreshed in this pass)`)
      }).catch((err) => {
        options.log.warn({ err }, 'feature store refresh failed; decisions assemble live until it recovers')
      }).finally(() => schedule(options.intervalMs))
    }, ms)
    timer.unref()
  }

  return {
    refreshBatch,
    refreshAll,
    counts: () => featureStoreCounts(db, asOfDateOf(clock())),
    /** Starts the background refresher (no-op when intervalMs is 0). */
    start(): void {
      if (options.intervalMs > 0) schedule(0)
    },
    async stop(): Promise<void> {
      stopped = true
      clearTimeout(timer)
      await pass
    },
  }
}

export type FeatureStore = ReturnType<typeof createFeatureStore>
