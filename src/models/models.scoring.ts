/**
 * Scoring use cases over the serving state: routed single scores with explanations, batches in one model run
 * per version, shadows off the response path. Every routed score goes to model_score_log through a buffer
 * that is flushed in the background, so monitoring costs the response no database round trip.
 */
import type { Db } from '../db/database.js'
import type { FeaturesService } from '../features/features.service.js'
import type { Logger } from '../rules/rules.service.js'
import { NotFoundError, UnprocessableError, ValidationError, pointer, type FieldError } from '../shared/errors.js'
import { insertScoreLog, type ScoreLogEntry } from './models.repository.js'
import { loggedVector, shown } from './score-log.js'
import type { ScoreResponse } from './models.schemas.js'
import type { LoadedVersion, ServedModel, ServingState } from './models.serving.js'
import { isChallenger } from './routing.js'
import { scorecardExplanation, scoreFromMargin, gradeOf } from './scorecard.js'
import { VectorizeError, vectorize, type FeatureValues } from './vectorize.js'

export interface ScoreInput { uscc?: string; features?: Record<string, number | boolean | string | null> }
export interface ScoreOptions {
  explain?: boolean
  version?: string
  /** false: the reasons without the per-feature contributions (the decision pipeline answers with reasons only). */
  contributions?: boolean
}
export interface ShadowScore { name: string; version: string; pd: number; score: number }
export interface BatchResult { items: Array<ScoreResponse & { index: number; uscc: string | null }>; rejected: Array<{ index: number; errors: Array<{ pointer: string; message: string }> }> }

const FLUSH_MS = 250
const FLUSH_ROWS = 2_000
const MAX_PENDING = 200_000
const round2 = (v: number): number => Math.sign(v) * Math.round(Math.abs(v) * 100) / 100
export function respond(v: LoadedVersion, out: { pd: number; margin: number }, x: Float32Array, explain: boolean, contributions = true): ScoreResponse {
  const base = { name: v.name, version: v.version, role: v.role, pd: out.pd, margin: out.margin }
  if (!explain) {
    const score = round2(scoreFromMargin(v.manifest.scorecard, out.margin))
    return { ...base, score, grade: gradeOf(v.manifest.grades, out.pd), basePoints: score, contributions: [], reasons: [] }
  }
  // The answer shows each reason's family, not its features: they are not assembled.
  const e = scorecardExplanation(v.manifest, out, v.scorer.explain(x), x, false)
  return {
    ...base, score: e.score, grade: e.grade, basePoints: e.basePoints,
    contributions: contributions ? v.manifest.features.map((feature, j) => ({ feature, value: shown(x[j]!), points: e.points[j]! })) : [],
    reasons: e.reasons.map((r) => ({ code: r.code, zh: r.zh, en: r.en, points: r.points })),
  }
}

export function createScoring(db: Db, state: ServingState, deps: { features: FeaturesService; log: Logger }) {
  let pending: ScoreLogEntry[] = []
  let dropped = 0
  let flushing: Promise<void> = Promise.resolve()
  const timer = setInterval(() => void flush(), FLUSH_MS)
  timer.unref()

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (pending.length === 0) return
      const rows = pending
      pending = []
      try {
        await insertScoreLog(db, rows)
      } catch (err) {
        deps.log.warn({ err, rows: rows.length }, 'writing the model score log failed; these scores are missing from monitoring')
      }
    })
    return flushing
  }

  function enqueue(rows: ScoreLogEntry[]): void {
    if (pending.length + rows.length > MAX_PENDING) {
      dropped += rows.length
      if (dropped % 10_000 < rows.length) deps.log.warn({ dropped }, 'model score log buffer full; dropping monitoring rows')
      return
    }
    for (const r of rows) pending.push(r)
    if (pending.length >= FLUSH_ROWS) void flush()
  }

  function served(name: string): ServedModel & { champion: LoadedVersion } {
    const m = state.get(name)
    if (!m?.champion) throw new NotFoundError(`Model ${name} has no champion version`)
    return m as ServedModel & { champion: LoadedVersion }
  }

  function pick(m: ServedModel & { champion: LoadedVersion }, uscc: string | undefined | null): LoadedVersion {
    return m.challenger && uscc && isChallenger(uscc, m.challenger.traffic) ? m.challenger : m.champion
  }

  function toRow(v: LoadedVersion, values: FeatureValues, at: string, into?: Float32Array): Float32Array | FieldError {
    try {
      return vectorize(values, v.manifest, into)
    } catch (err) {
      if (err instanceof VectorizeError) return { in: 'body', pointer: `${at}/features${pointer(err.feature)}`, message: err.message }
      throw err
    }
  }

  return {
    flush,

    route(name: string, uscc: string): { version: string; role: 'champion' | 'challenger' } {
      const v = pick(served(name), uscc)
      return { version: v.version, role: v.role === 'challenger' ? 'challenger' : 'champion' }
    },

    async score(name: string, input: ScoreInput, opts: ScoreOptions = {}): Promise<ScoreResponse> {
      const m = served(name)
      let values: FeatureValues
      if (input.features) values = input.features
      else if (input.uscc) values = (await deps.features.forEnterprise(input.uscc)).values
      else throw new ValidationError('Give a uscc or features', [{ in: 'body', pointer: '/uscc', message: 'uscc or features is required' }])
      let v: LoadedVersion
      if (opts.version !== undefined) {
        const forced = await state.version(name, opts.version)
        if (!forced) throw new NotFoundError(`Model ${name} has no version ${opts.version}`)
        v = forced
      } else v = pick(m, input.uscc)
      const x = toRow(v, values, '')
      if (!(x instanceof Float32Array)) throw new UnprocessableError(x.message, [x], 'feature_invalid')
      const out = await v.scorer.scoreOne(x)
      const res = respond(v, out, x, opts.explain ?? true, opts.contributions ?? true)
      if (opts.version === undefined) enqueue([{ name, version: v.version, role: v.role, uscc: input.uscc ?? null, pd: out.pd, score: res.score, features: loggedVector(x, 0, v.manifest.features.length) }])
      return res
    },

    /** One model run per routed version (champion, and the challenger when it has a share); explanations per row on demand. */
    async scoreMany(name: string, rows: readonly ScoreInput[], opts: { explain?: boolean } = {}): Promise<BatchResult> {
      const m = served(name)
      const rejected: BatchResult['rejected'] = []
      const wanted = [...new Set(rows.filter((r) => !r.features && r.uscc).map((r) => r.uscc!))]
      const store = wanted.length > 0 ? await deps.features.forEnterprises(wanted) : new Map()
      const groups = new Map<LoadedVersion, Array<{ index: number; uscc: string | null; values: FeatureValues }>>()
      rows.forEach((r, index) => {
        let values: FeatureValues | undefined
        if (r.features) values = r.features
        else if (r.uscc) {
          values = store.get(r.uscc)?.values
          if (!values) { rejected.push({ index, errors: [{ pointer: `/rows/${index}/uscc`, message: `enterprise ${r.uscc} was not found` }] }); return }
        } else { rejected.push({ index, errors: [{ pointer: `/rows/${index}`, message: 'give a uscc or features' }] }); return }
        const v = pick(m, r.uscc)
        const g = groups.get(v) ?? []
        g.push({ index, uscc: r.uscc ?? null, values })
        groups.set(v, g)
      })
      const items: BatchResult['items'] = []
      const log: ScoreLogEntry[] = []
      for (const [v, group] of groups) {
        const F = v.manifest.features.length
        const X = new Float32Array(group.length * F)
        const ok: typeof group = []
        for (const g of group) {
          const row = toRow(v, g.values, `/rows/${g.index}`, X.subarray(ok.length * F, (ok.length + 1) * F))
          if (row instanceof Float32Array) ok.push(g)
          else rejected.push({ index: g.index, errors: [{ pointer: row.pointer, message: row.message }] })
        }
        if (ok.length === 0) continue
        const out = await v.scorer.scoreBatch(X.subarray(0, ok.length * F), ok.length)
        ok.forEach((g, i) => {
          const x = X.subarray(i * F, (i + 1) * F)
          const res = respond(v, { pd: out.pd[i]!, margin: out.margin[i]! }, x, opts.explain === true)
          items.push({ index: g.index, uscc: g.uscc, ...res })
          log.push({ name, version: v.version, role: v.role, uscc: g.uscc, pd: res.pd, score: res.score, features: loggedVector(x, 0, v.manifest.features.length) })
        })
      }
      enqueue(log)
      items.sort((a, b) => a.index - b.index)
      rejected.sort((a, b) => a.index - b.index)
      return { items, rejected }
    },

    /** Every shadow of the model on the same features; never throws (a failing shadow is logged and left out). */
    async scoreShadows(name: string, uscc: string | null, features: FeatureValues): Promise<ShadowScore[]> {
      const shadows = state.get(name)?.shadows ?? []
      const out: ShadowScore[] = []
      const log: ScoreLogEntry[] = []
      for (const v of shadows) {
        try {
          const x = vectorize(features, v.manifest)
          const r = await v.scorer.scoreOne(x)
          const score = round2(r.score)
          out.push({ name, version: v.version, pd: r.pd, score })
          log.push({ name, version: v.version, role: 'shadow', uscc, pd: r.pd, score, features: loggedVector(x, 0, v.manifest.features.length) })
        } catch (err) {
          deps.log.warn({ err, model: name, version: v.version }, 'shadow model failed to score; left out')
        }
      }
      if (log.length > 0) {
        try {
          await insertScoreLog(db, log)
        } catch (err) {
          deps.log.warn({ err, model: name }, 'writing shadow scores failed')
        }
      }
      return out
    },

    async close(): Promise<void> {
      clearInterval(timer)
      await flush()
    },
  }
}
