import type { Db } from '../db/database.js'
import type { RulesService } from '../rules/rules.service.js'
import { compileOrReject } from '../rules/rules.service.js'
import type { CompiledRuleSet } from '../rules/compile.js'
import { UnprocessableError, ValidationError } from '../shared/errors.js'
import type { DecisionModels } from './decision-models.js'
import * as repo from './decisions.repository.js'
import { recompute, type Sets, type StoredDecision } from './replay.js'
import { storedTrace } from './stored.js'
import type { ModelOutcome, Scoring } from './pipeline.js'

const PIPELINE_SETS = { admission: 'admission', 'anti-fraud': 'antiFraud', strategy: 'strategy' } as const
type PipelineSetId = keyof typeof PIPELINE_SETS

export interface SimulationRequest { ruleSet?: unknown; version?: string; last?: number; from?: string; to?: string; page?: number; pageSize?: number }

/** Scores with the model the stored decision used, for decisions that reached no model before. */
export function championScoring(models: DecisionModels, modelName: string): Scoring {
  return async (facts) => {
    const s = await models.score(modelName, { features: facts })
    return { name: s.name, version: s.version, role: s.role, pd: s.pd, score: s.score, grade: s.grade, reasons: s.reasons } satisfies ModelOutcome
  }
}

/**
 * Backtest of a candidate rule set over stored decisions: each decision is recomputed twice from its stored
 * facts — with the rule-set versions it was decided with, and with the candidate in place of one set — so the
 * comparison isolates the candidate's effect (a model change is not mixed in).
 */
export async function simulateRuleSet(db: Db, rules: RulesService, models: DecisionModels, ruleSetId: string, req: SimulationRequest) {
  if (!(ruleSetId in PIPELINE_SETS)) {
    throw new ValidationError(`Simulation runs the decision pipeline; ${ruleSetId} is not one of its rule sets`, [{ in: 'params', pointer: '/id', message: `must be one of ${Object.keys(PIPELINE_SETS).join(', ')}` }])
  }
  if ((req.ruleSet === undefined) === (req.version === undefined)) {
    throw new ValidationError('Give exactly one of ruleSet and version', [{ in: 'body', pointer: '', message: 'exactly one of ruleSet, version' }])
  }
  let candidate: CompiledRuleSet
  if (req.ruleSet !== undefined) {
    candidate = compileOrReject(req.ruleSet, 'request')
    if (candidate.id !== ruleSetId) throw new UnprocessableError('The candidate is for another rule set', [{ in: 'body', pointer: '/ruleSet/id', message: `must be ${ruleSetId}` }])
  } else candidate = await rules.compiledVersion(ruleSetId, req.version!)

  const rows = await repo.decisionsForSimulation(db, { last: req.last ?? 1000, from: req.from, to: req.to })
  const fallback = championScoring(models, 'credit-risk')
  const key = PIPELINE_SETS[ruleSetId as PipelineSetId]
  const matrix: Record<string, Record<string, number>> = {}
  const hits = new Map<string, { before: number; after: number }>()
  const changed: { decisionId: string; applicationId: string; uscc: string; before: string; after: string; beforeReasons: string[]; afterReasons: string[] }[] = []
  let approvedBefore = 0
  let approvedAfter = 0
  for (const row of rows) {
    const stored = { features: row.features, trace: storedTrace(row) } as StoredDecision
    const versions = row.rule_versions as Record<string, string>
    const baselineSets: Sets = {
      admission: await rules.compiledVersion('admission', versions.admission!),
      antiFraud: await rules.compiledVersion('anti-fraud', versions['anti-fraud']!),
      strategy: await rules.compiledVersion('strategy', versions.strategy!),
    }
    const before = await recompute(stored, baselineSets, null, fallback)
    const after = await recompute(stored, { ...baselineSets, [key]: candidate }, null, fallback)
    matrix[before.outcome] ??= {}
    matrix[before.outcome]![after.outcome] = (matrix[before.outcome]![after.outcome] ?? 0) + 1
    if (before.outcome === 'APPROVE') approvedBefore++
    if (after.outcome === 'APPROVE') approvedAfter++
    const firedIn = (r: typeof before) => r.stages.find((s) => s.stage === ruleSetId)?.fired ?? []
    for (const name of firedIn(before)) hits.set(name, { before: (hits.get(name)?.before ?? 0) + 1, after: hits.get(name)?.after ?? 0 })
    for (const name of firedIn(after)) hits.set(name, { before: hits.get(name)?.before ?? 0, after: (hits.get(name)?.after ?? 0) + 1 })
    if (before.outcome !== after.outcome || before.limit !== after.limit || before.rateBps !== after.rateBps) {
      changed.push({
        decisionId: row.id, applicationId: row.application_id, uscc: row.uscc, before: before.outcome, after: after.outcome,
        beforeReasons: before.reasons.map((r) => r.code), afterReasons: after.reasons.map((r) => r.code),
      })
    }
  }
  const n = rows.length
  const page = req.page ?? 1
  const pageSize = req.pageSize ?? 100
  return {
    ruleSet: ruleSetId, candidateVersion: candidate.version, decisions: n,
    swapMatrix: matrix,
    approvalRate: { before: n ? approvedBefore / n : null, after: n ? approvedAfter / n : null, delta: n ? (approvedAfter - approvedBefore) / n : null },
    ruleHitRates: [...hits.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([rule, h]) => ({
      rule, before: n ? h.before / n : 0, after: n ? h.after / n : 0, delta: n ? (h.after - h.before) / n : 0,
    })),
    changed: { total: changed.length, page, pageSize, items: changed.slice((page - 1) * pageSize, page * pageSize) },
  }
}
