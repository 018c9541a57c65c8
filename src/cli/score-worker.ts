/**
 * A batch-rescoring worker thread (see score.ts). With PostgreSQL it streams its own USCC range of feature pages
 * and writes model_score_log itself; with the embedded database (one process only) it scores the pages the main
 * thread sends and returns the scores.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createDatabase } from '../db/create-database.js'
import { assembleFeatures, type AssembledFeatures } from '../features/assemble.js'
import { pageFeatureSources } from '../features/features.repository.js'
import type { ServingManifest } from '../models/manifest.js'
import { insertScoreLog, type ScoreLogEntry } from '../models/models.repository.js'
import { loggedVector } from '../models/score-log.js'
import { createScorer, type Scorer } from '../models/scorer.js'
import { VectorizeError, vectorize } from '../models/vectorize.js'

export interface WorkerInput {
  name: string
  version: string
  manifest: ServingManifest
  artifact: Uint8Array
  asOf: string
  pageSize: number
  /** PostgreSQL: this worker's half-open USCC range (after, upTo]; absent: pages come from the main thread. */
  range?: { databaseUrl: string; after: string | null; upTo: string | null }
}

export type WorkerMessage =
  | { type: 'progress'; scored: number; skipped: number }
  | { type: 'scores'; id: number; rows: ScoreLogEntry[]; skipped: number }
  | { type: 'done' }
  | { type: 'error'; message: string }

const input = workerData as WorkerInput
const port = parentPort!
const round2 = (v: number): number => Math.sign(v) * Math.round(Math.abs(v) * 100) / 100

/** Vectorises one page into one tensor and scores it in one run. */
async function scorePage(scorer: Scorer, page: AssembledFeatures[]): Promise<{ rows: ScoreLogEntry[]; skipped: number }> {
  const m = input.manifest
  const F = m.features.length
  const X = new Float32Array(page.length * F)
  const kept: AssembledFeatures[] = []
  for (const e of page) {
    try {
      vectorize(e.values, m, X.subarray(kept.length * F, (kept.length + 1) * F))
      kept.push(e)
    } catch (err) {
      if (!(err instanceof VectorizeError)) throw err
    }
  }
  if (kept.length === 0) return { rows: [], skipped: page.length }
  const out = await scorer.scoreBatch(X.subarray(0, kept.length * F), kept.length)
  const rows = kept.map((e, i): ScoreLogEntry => {
    return { name: input.name, version: input.version, role: 'batch', uscc: e.uscc, pd: out.pd[i]!, score: round2(m.scorecard.offset - m.scorecard.factor * out.margin[i]!), features: loggedVector(X, i * F, F) }
  })
  return { rows, skipped: page.length - kept.length }
}

async function main(): Promise<void> {
  const scorer = await createScorer(input.artifact, input.manifest, { intraOpNumThreads: 1 })
  const asOf = new Date(input.asOf)
  if (input.range) {
    const handle = await createDatabase({ databaseUrl: input.range.databaseUrl, poolSize: 2 })
    let after = input.range.after
    const upTo = input.range.upTo
    for (;;) {
      const sources = await pageFeatureSources(handle.db, after, input.pageSize, asOf)
      const inRange = upTo === null ? sources : sources.filter((s) => s.uscc <= upTo)
      if (inRange.length === 0) break
      const { rows, skipped } = await scorePage(scorer, inRange.map((s) => assembleFeatures(s, asOf)))
      await insertScoreLog(handle.db, rows)
      port.postMessage({ type: 'progress', scored: rows.length, skipped } satisfies WorkerMessage)
      if (inRange.length < sources.length || sources.length < input.pageSize) break
      after = sources[sources.length - 1]!.uscc
    }
    await handle.db.destroy()
    await scorer.close()
    port.postMessage({ type: 'done' } satisfies WorkerMessage)
    return
  }
  port.on('message', (msg: { id: number; page: AssembledFeatures[] } | { type: 'end' }) => {
    if ('type' in msg) {
      void scorer.close().then(() => port.postMessage({ type: 'done' } satisfies WorkerMessage))
      return
    }
    scorePage(scorer, msg.page).then(
      ({ rows, skipped }) => port.postMessage({ type: 'scores', id: msg.id, rows, skipped } satisfies WorkerMessage),
      (err: Error) => port.postMessage({ type: 'error', message: err.message } satisfies WorkerMessage),
    )
  })
}

main().catch((err: Error) => port.postMessage({ type: 'error', message: err.stack ?? err.message } satisfies WorkerMessage))
