/**
 * A decision record holds each fact once: the answer and the model outcome's reasons are rebuilt from the
 * columns on read (see the decision_records_slim migration), exactly as they were sent.
 */
import type { DecisionRow } from './decisions.repository.js'
import type { DecisionResponse } from './decisions.service.js'
import type { DecisionReason, ModelOutcome } from './pipeline.js'

type Reason = DecisionResponse['reasons'][number]

/** A reason as the answer shows it (without its source). */
export const publicReason = (r: Reason): Reason =>
  (r.points === undefined ? { code: r.code, zh: r.zh, en: r.en } : { code: r.code, zh: r.zh, en: r.en, points: r.points })

/** The model outcome as recorded: its reasons are the record's model reasons, so they are not stored twice. */
export function modelForRecord(m: ModelOutcome | null): Omit<ModelOutcome, 'reasons'> | null {
  if (!m) return null
  return { name: m.name, version: m.version, role: m.role, pd: m.pd, score: m.score, grade: m.grade }
}

export interface StoredTrace { stages: { stage: string; outcome: string; fired?: string[] }[]; model: ModelOutcome | null; [key: string]: unknown }

/** The recorded trace with the model outcome's reasons restored. */
export function storedTrace(row: Pick<DecisionRow, 'trace' | 'reasons'>): StoredTrace {
  const trace = row.trace as StoredTrace
  const model = trace.model as (Omit<ModelOutcome, 'reasons'> & { reasons?: ModelOutcome['reasons'] }) | null | undefined
  if (!model || model.reasons) return { ...trace, model: (model as ModelOutcome | undefined) ?? null }
  const reasons = (row.reasons as DecisionReason[]).filter((r) => r.source === 'model').map((r) => ({ code: r.code, zh: r.zh, en: r.en, points: r.points! }))
  return { ...trace, model: { ...model, reasons } }
}

/** The answer the decision was sent with. */
export function storedResponse(row: DecisionRow): DecisionResponse {
  if (row.response) return row.response as DecisionResponse
  return {
    decisionId: row.id, applicationId: row.application_id, outcome: row.outcome as DecisionResponse['outcome'], limit: row.limit_amount,
    rate: row.rate_bps === null ? null : row.rate_bps / 100, rateBps: row.rate_bps, pd: row.pd, score: row.score, grade: row.grade,
    reasons: (row.reasons as DecisionReason[]).map(publicReason),
    versions: { ruleSets: row.rule_versions as Record<string, string>, models: row.model_versions as Record<string, string>, featureSnapshot: row.feature_snapshot },
    latencyMs: row.latency_us / 1000,
  }
}
