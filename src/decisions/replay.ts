import type { CompiledRuleSet } from '../rules/compile.js'
import type { FeatureValue } from '../features/assemble.js'
import { runPipeline, type ModelOutcome, type PipelineResult, type Scoring } from './pipeline.js'

/** What a stored decision holds that a recomputation needs. */
export interface StoredDecision {
  features: Record<string, FeatureValue>
  trace: { stages?: { stage: string }[]; model?: ModelOutcome | null }
}

export const hadData = (d: StoredDecision): boolean => d.trace.stages?.[0]?.stage !== 'data'

export interface Sets { admission: CompiledRuleSet; antiFraud: CompiledRuleSet; strategy: CompiledRuleSet }

/**
 * Re-runs the pipeline on a stored decision's facts. The stored model outcome is reused unless `score` is
 * given (another model version) or the decision never reached the model (then `fallback` scores it).
 */
export function recompute(d: StoredDecision, sets: Sets, score: Scoring | null, fallback: Scoring): Promise<PipelineResult> {
  const stored = d.trace.model ?? null
  const scoring: Scoring = score ?? (stored ? async () => stored : fallback)
  return runPipeline({ facts: d.features, hasData: hadData(d), ...sets, score: scoring })
}

export interface Difference { field: string; before: unknown; after: unknown }

/** The fields of the decision that changed. */
export function differences(before: { outcome: string; limit: number | null; rateBps: number | null; pd: number | null; score: number | null; grade: string | null; reasons: { code: string }[] }, after: PipelineResult): Difference[] {
  const out: Difference[] = []
  const cmp = (field: string, a: unknown, b: unknown) => { if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ field, before: a, after: b }) }
  cmp('outcome', before.outcome, after.outcome)
  cmp('limit', before.limit, after.limit)
  cmp('rateBps', before.rateBps, after.rateBps)
  cmp('pd', before.pd, after.pd)
  cmp('score', before.score, after.score)
  cmp('grade', before.grade, after.grade)
  cmp('reasons', before.reasons.map((r) => r.code), after.reasons.map((r) => r.code))
  return out
}
