import { describe, expect, it } from 'vitest'
import { runPipeline, type ModelOutcome } from '../../src/decisions/pipeline.js'
import { compileRuleSet } from '../../src/rules/compile.js'
import type { FeatureValue } from '../../src/features/assemble.js'

const passAll = (id: string) => compileRuleSet({
  id, version: '1', description: 'test', decision: 'first-decline',
  rules: [{ name: `${id}-AGE`, conditions: { all: [{ fact: 'entAgeMonths', operator: 'lessThan', value: 24 }] }, event: { type: 'decline', params: { reasonCode: `${id}-AGE`, reasonZh: '成立不足24个月', reasonEn: 'Younger than 24 months' } } }],
})
// The strategy reads the model's pd and score next to an enterprise fact.
const strategy = compileRuleSet({
  id: 'strategy', version: '1', description: 'test', decision: 'score',
  rules: [
    { name: 'S-GRADE-A', conditions: { all: [{ fact: 'pd', operator: 'lessThan', value: 0.05 }, { fact: 'score', operator: 'greaterThan', value: 600 }] }, event: { type: 'grade', params: { grade: 'A', rateBps: 400, reasonCode: 'S-GRADE-A', reasonZh: '评级A', reasonEn: 'Grade A' } } },
    { name: 'S-LIMIT', conditions: { all: [{ fact: 'entAgeMonths', operator: 'greaterThanInclusive', value: 24 }] }, event: { type: 'limit', params: { amount: 100_000, reasonCode: 'S-LIMIT', reasonZh: '额度10万', reasonEn: 'Limit 100,000' } } },
  ],
})
const model: ModelOutcome = { name: 'credit-risk', version: '1', role: 'champion', pd: 0.02, score: 650, grade: 'A', reasons: [] }
const run = (facts: Record<string, FeatureValue>) => runPipeline({ facts, hasData: true, admission: passAll('admission'), antiFraud: passAll('anti-fraud'), strategy, score: async () => model })

describe('runPipeline: the strategy sees the model output', () => {
  it('gives the strategy pd and score and leaves the facts as they were, whether the facts are plain or frozen', async () => {
    const plain: Record<string, FeatureValue> = { entAgeMonths: 60 }
    const frozen = Object.freeze({ entAgeMonths: 60 }) as Record<string, FeatureValue>
    const a = await run(plain)
    const b = await run(frozen)
    for (const r of [a, b]) {
      expect(r.grade).toBe('A')
      expect(r.rateBps).toBe(400)
      expect(r.stages.at(-1)).toEqual({ stage: 'strategy', outcome: r.outcome, fired: ['S-GRADE-A', 'S-LIMIT'] })
    }
    expect(plain).toEqual({ entAgeMonths: 60 })
    expect(frozen).toEqual({ entAgeMonths: 60 })
  })

  it('uses the model output over facts that already carry a pd and a score, and keeps those', async () => {
    const facts: Record<string, FeatureValue> = { entAgeMonths: 60, pd: 0.5, score: 400 }
    const r = await run(facts)
    expect(r.grade).toBe('A')
    expect(facts).toEqual({ entAgeMonths: 60, pd: 0.5, score: 400 })
  })
})
