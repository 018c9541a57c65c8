import { describe, expect, it } from 'vitest'
import { modelForRecord, storedResponse, storedTrace } from '../../src/decisions/stored.js'
import type { DecisionRow } from '../../src/decisions/decisions.repository.js'

const model = { name: 'credit-risk', version: '1.0.0', role: 'champion', pd: 0.0289, score: 640.91, grade: 'BB', reasons: [{ code: 'CAPITAL', zh: '资本实力', en: 'Capital strength', points: -32.31 }] }
const reasons = [
  { code: 'STR-OUTCOME-APPROVE', zh: '批准', en: 'approve', source: 'rule' },
  { code: 'CAPITAL', zh: '资本实力', en: 'Capital strength', points: -32.31, source: 'model' },
]
const row = (over: Partial<DecisionRow> = {}): DecisionRow => ({
  id: 'd1', application_id: 'A1', request_hash: 'h', uscc: 'u', legal_rep_person_id: null, product: 'TAX_LOAN', channel: null, request: {},
  outcome: 'APPROVE', pd: 0.0289, score: 640.91, grade: 'B', limit_amount: 42691, rate_bps: 450, reasons,
  trace: { stages: [{ stage: 'model', outcome: 'BB' }], model: modelForRecord(model) }, features: {}, rule_versions: { strategy: '1' },
  model_versions: { 'credit-risk': '1.0.0' }, shadow_scores: null, response: null, feature_snapshot: 'snap', latency_us: 61_913,
  created_by: 'k', created_at: new Date(), ...over,
})

describe('stored decision records', () => {
  it('rebuild the answer from the columns', () => {
    expect(storedResponse(row())).toEqual({
      decisionId: 'd1', applicationId: 'A1', outcome: 'APPROVE', limit: 42691, rate: 4.5, rateBps: 450, pd: 0.0289, score: 640.91, grade: 'B',
      reasons: [{ code: 'STR-OUTCOME-APPROVE', zh: '批准', en: 'approve' }, { code: 'CAPITAL', zh: '资本实力', en: 'Capital strength', points: -32.31 }],
      versions: { ruleSets: { strategy: '1' }, models: { 'credit-risk': '1.0.0' }, featureSnapshot: 'snap' }, latencyMs: 61.913,
    })
  })

  it('prefer the answer stored by rows recorded before the slim records', () => {
    const legacy = { decisionId: 'd1', outcome: 'REFER', latencyMs: 61.91 }
    expect(storedResponse(row({ response: legacy }))).toBe(legacy)
  })

  it('restore the model outcome\'s reasons from the record\'s model reasons, and leave older traces as they are', () => {
    expect(modelForRecord(model)).not.toHaveProperty('reasons')
    expect(storedTrace(row()).model).toEqual(model)
    const older = { stages: [], model: { ...model, reasons: [{ code: 'OLD', zh: '旧', en: 'old', points: 1 }] } }
    expect(storedTrace(row({ trace: older })).model!.reasons[0]!.code).toBe('OLD')
    expect(storedTrace(row({ trace: { stages: [{ stage: 'data', outcome: 'NO_DATA' }] } })).model).toBeNull()
  })
})
