/** The shipped rule sets: no lint errors, golden cases pass, every rule has a firing and a non-firing case, catalogues match. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  compileRuleSet, decide, loadShippedRuleSets, OPPORTUNITY_TYPES, RISK_EVENT_TYPES, SHIPPED_RULES_DIR, RELATION_TYPES, type RuleSet,
} from '../../src/rules/index.js'

interface CasesFile {
  ruleSet: string
  baseFacts: Record<string, unknown>
  cases: { name: string; facts: Record<string, unknown>; expect: { fired: string[]; outcome: string; decision?: Record<string, unknown> } }[]
}

const loaded = loadShippedRuleSets()
const sets = new Map(loaded.map((l) => [l.ruleSet?.id ?? l.file, l.ruleSet as RuleSet]))
const casesOf = (id: string) => JSON.parse(readFileSync(join(SHIPPED_RULES_DIR, 'tests', `${id}.cases.json`), 'utf8')) as CasesFile

describe('shipped rule sets', () => {
  it('all six load without lint errors or warnings', () => {
    expect(loaded.map((l) => [l.ruleSet?.id, l.errors, l.warnings])).toEqual(
      ['admission', 'anti-fraud', 'lead-signals', 'strategy', 'warning-levels', 'warning-propagation'].map((id) => [id, [], []]))
  })

  for (const [id, set] of sets) {
    describe(id, () => {
      const compiled = compileRuleSet(set)
      const file = casesOf(id)
      const results = file.cases.map((c) => ({ c, r: compiled.evaluate({ ...file.baseFacts, ...c.facts }) }))

      it('every case fires the expected rules in order with the expected outcome', () => {
        for (const { c, r } of results) {
          expect({ case: c.name, fired: r.fired, outcome: r.outcome }).toEqual({ case: c.name, fired: c.expect.fired, outcome: c.expect.outcome })
          for (const [k, v] of Object.entries(c.expect.decision ?? {})) expect([c.name, k, (r.decision as unknown as Record<string, unknown>)[k]]).toEqual([c.name, k, v])
        }
      })

      it('the decision (with the reasons collected as rules fire) equals decide() on the fired events', () => {
        for (const { c, r } of results) {
          expect([c.name, r.decision]).toEqual([c.name, decide(set.decision, r.events, { ...file.baseFacts, ...c.facts })])
          expect([c.name, compiled.evaluate({ ...file.baseFacts, ...c.facts }, { trace: true }).decision]).toEqual([c.name, r.decision])
        }
      })

      it('every rule has a firing and a non-firing case', () => {
        for (const rule of set.rules) {
          expect([rule.name, results.some(({ r }) => r.fired.includes(rule.name))]).toEqual([rule.name, true])
          expect([rule.name, results.some(({ r }) => !r.fired.includes(rule.name))]).toEqual([rule.name, true])
        }
      })

      it('every rule carries a reason code and Chinese and English text', () => {
        for (const rule of set.rules) {
          expect(rule.event.params).toMatchObject({ reasonCode: expect.stringMatching(/^[A-Z]+-/), reasonZh: expect.any(String), reasonEn: expect.any(String) })
        }
      })
    })
  }
})

describe('catalogues and rule files agree', () => {
  const onlyEquals = (set: RuleSet, fact: string, code: string) => set.rules.filter((r) =>
    JSON.stringify(r.conditions) === JSON.stringify({ all: [{ fact, operator: 'equal', value: code }] }))

  it('at least 40 risk event types, each with exactly one default-level rule', () => {
    expect(RISK_EVENT_TYPES.length).toBeGreaterThanOrEqual(40)
    expect(new Set(RISK_EVENT_TYPES.map((e) => e.code)).size).toBe(RISK_EVENT_TYPES.length)
    const set = sets.get('warning-levels') as RuleSet
    for (const e of RISK_EVENT_TYPES) {
      const rules = onlyEquals(set, 'eventType', e.code)
      expect([e.code, rules.length, rules[0]?.event.params?.level]).toEqual([e.code, 1, e.defaultLevel])
    }
  })

  it('at least 30 opportunity types, each with exactly one rule giving its signal and weight', () => {
    expect(OPPORTUNITY_TYPES.length).toBeGreaterThanOrEqual(30)
    const set = sets.get('lead-signals') as RuleSet
    for (const o of OPPORTUNITY_TYPES) {
      const rules = onlyEquals(set, 'opportunityType', o.code)
      expect([o.code, rules.length, rules[0]?.event.params?.signal, rules[0]?.event.params?.weight]).toEqual([o.code, 1, o.signal, o.weight])
    }
  })

  it('propagation covers the six relation dimensions', () => {
    const text = JSON.stringify(sets.get('warning-propagation'))
    for (const r of RELATION_TYPES) expect([r, text.includes(`"value":"${r}"`)]).toEqual([r, true])
  })
})
