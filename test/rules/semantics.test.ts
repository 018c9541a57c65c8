/** Corner cases of json-rules-engine 7 semantics, each checked against the reference itself, plus trace and decisions. */
import { describe, expect, it } from 'vitest'
import { compileRuleSet, decide, UndefinedFactError, type RuleSet } from '../../src/rules/index.js'
import { referenceEngine } from './helpers/reference.js'

const params = { reasonCode: 'X', reasonZh: '原因', reasonEn: 'reason' }
function one(conditions: unknown, extra: Partial<RuleSet> = {}, eventParams: Record<string, unknown> = {}): RuleSet {
  return { id: 't', version: '1', description: '', decision: 'collect', rules: [{ name: 'R', conditions: conditions as never, event: { type: 'hit', params: { ...params, ...eventParams } } }], ...extra }
}
const leaf = (fact: string, operator: string, value: unknown, more: Record<string, unknown> = {}) => ({ all: [{ fact, operator, value, ...more }] })

// [description, set, facts, expected: true fired / false not fired / 'throws']
const CASES: [string, RuleSet, Record<string, unknown>, boolean | 'throws'][] = [
  ['lessThan on a numeric string compares as number', one(leaf('x', 'lessThan', 24)), { x: '12' }, true],
  ['lessThan on "12abc": parseFloat passes, JS < is false', one(leaf('x', 'lessThan', 24)), { x: '12abc' }, false],
  ['lessThan on [5] ([5] < 24 is true)', one(leaf('x', 'lessThan', 24)), { x: [5] }, true],
  ['lessThan on null is false', one(leaf('x', 'lessThan', 24)), { x: null }, false],
  ['lessThan on true is false (parseFloat(true) is NaN)', one(leaf('x', 'lessThan', 24)), { x: true }, false],
  ['in with a string value searches substrings', one(leaf('x', 'in', 'abc')), { x: 'bc' }, true],
  ['in with a number value throws', one(leaf('x', 'in', 5)), { x: 5 }, 'throws'],
  ['notIn with an array value', one(leaf('x', 'notIn', ['A'])), { x: 'B' }, true],
  ['contains on a non-array fact is false', one(leaf('x', 'contains', 'a')), { x: 'abc' }, false],
  ['doesNotContain on a non-array fact is false', one(leaf('x', 'doesNotContain', 'a')), { x: 'xyz' }, false],
  ['contains on an array', one(leaf('x', 'contains', 2)), { x: [1, 2] }, true],
  ['equal is strict', one(leaf('x', 'equal', 1)), { x: '1' }, false],
  ['empty all is true', one({ all: [] }), {}, true],
  ['empty any is true', one({ any: [] }), {}, true],
  ['not of empty all is false', one({ not: { all: [] } }), {}, false],
  ['not negates', one({ not: { fact: 'x', operator: 'equal', value: 1 } }), { x: 2 }, true],
  ['missing fact throws (allowUndefinedFacts false)', one(leaf('x', 'equal', 1)), {}, 'throws'],
  ['a fact present with value undefined is defined', one(leaf('x', 'notEqual', 1)), { x: undefined }, true],
  ['all evaluates every condition of a priority group: a later missing fact still throws',
    one({ all: [{ fact: 'x', operator: 'equal', value: 0 }, { fact: 'y', operator: 'equal', value: 1 }] }), { x: 1 }, 'throws'],
  ['a higher-priority condition that decides skips lower groups (no throw)',
    one({ all: [{ fact: 'x', operator: 'equal', value: 0, priority: 2 }, { fact: 'y', operator: 'equal', value: 1 }] }), { x: 1 }, false],
  ['a sibling reaching a later group is still evaluated',
    one({ any: [{ any: [] }, { all: [{ all: [], priority: 2 }, { fact: 'x', operator: 'in', value: 0 }] }] }), { x: 1 }, 'throws'],
  ['path $.a.b on an object', one(leaf('o', 'equal', 2, { path: '$.a.b' })), { o: { a: { b: 2 } } }, true],
  ['path $.a[0] on an object', one(leaf('o', 'equal', 'x', { path: '$.a[0]' })), { o: { a: ['x'] } }, true],
  ['path on a scalar fact is ignored', one(leaf('o', 'equal', 3, { path: '$.a' })), { o: 3 }, true],
  ['path steps into strings', one(leaf('o', 'equal', 3, { path: '$.s.length' })), { o: { s: 'abc' } }, true],
  ['fact reference as value', one(leaf('x', 'lessThan', { fact: 'y' })), { x: 1, y: 2 }, true],
  ['condition reference', one({ condition: 'young' }, { conditions: { young: leaf('x', 'lessThan', 24) } }), { x: 3 }, true],
  ['decorated operator not:in', one(leaf('x', 'not:in', ['A'])), { x: 'B' }, true],
  ['decorated operator someFact:greaterThan', one(leaf('x', 'someFact:greaterThan', 2)), { x: [1, 3] }, true],
]

describe('evaluation matches json-rules-engine on corner cases', () => {
  for (const [name, set, facts, expected] of CASES) {
    it(name, async () => {
      const reference = await referenceEngine(set).run(facts)
      for (const codegen of [true, false]) {
        for (const trace of [false, true]) {
          const compiled = compileRuleSet(set, { typeCheck: false, codegen })
          const run = () => compiled.evaluate(facts, { trace }).fired.includes('R')
          if (expected === 'throws') {
            expect(reference.ok).toBe(false)
            expect(run).toThrow()
          } else {
            expect(reference).toMatchObject({ ok: true, fired: expected ? ['R'] : [] })
            expect(run()).toBe(expected)
          }
        }
      }
    })
  }

  it('raises UndefinedFactError naming the fact, and allowUndefinedFacts true evaluates it as undefined', () => {
    const set = one(leaf('x', 'notEqual', 1))
    expect(() => compileRuleSet(set, { typeCheck: false }).evaluate({})).toThrow(new UndefinedFactError('x'))
    expect(compileRuleSet(set, { typeCheck: false, allowUndefinedFacts: true }).evaluate({}).fired).toEqual(['R'])
  })

  it('orders by priority then declaration, runs every rule, and resolves fact references in event params', async () => {
    const set: RuleSet = { id: 't', version: '1', description: '', decision: 'collect', rules: [
      { name: 'LOW', priority: 1, conditions: { all: [] }, event: { type: 'a', params: { ...params, amount: { fact: 'o', path: '$.a' } } } },
      { name: 'HIGH-1', priority: 5, conditions: { all: [] }, event: { type: 'b', params } },
      { name: 'HIGH-2', priority: 5, conditions: { any: [{ fact: 'o', operator: 'equal', value: 1, path: '$.a' }] }, event: { type: 'c', params } },
    ] }
    const facts = { o: { a: 1 } }
    const r = compileRuleSet(set, { typeCheck: false }).evaluate(facts)
    expect(r.fired).toEqual(['HIGH-1', 'HIGH-2', 'LOW'])
    expect(r.events[2]).toEqual({ type: 'a', params: { ...params, amount: 1 } })
    expect(await referenceEngine(set).run(facts)).toEqual({ ok: true, fired: r.fired, events: r.events })
  })
})

describe('generated code', () => {
  it('a set of more than 200 rules (several generated functions) agrees with the closures and the reference, errors included', async () => {
    // Facts y and z are tested only by rules past the first generated function; every fact is still required.
    const rules = Array.from({ length: 450 }, (_, i) => ({
      name: `R${i}`,
      conditions: { all: [
        { fact: i < 200 ? 'x' : i < 400 ? 'y' : 'z', operator: 'greaterThan', value: i % 50 },
        ...(i % 3 === 0 ? [{ fact: 'x', operator: 'lessThan', value: 40 }] : []),
      ] },
      event: { type: 'hit', params: { ...params, reasonCode: `R${i}`, seen: i % 7 === 0 ? { fact: 'y' } : i } },
    }))
    const set: RuleSet = { id: 't', version: '1', description: '', decision: 'collect', rules }
    const reference = referenceEngine(set)
    const generated = compileRuleSet(set, { typeCheck: false })
    const closures = compileRuleSet(set, { typeCheck: false, codegen: false })
    for (const facts of [{ x: 10, y: 30, z: 45 }, { x: 45, y: '20', z: null }, { x: 10, y: 30 }, { y: 1, z: 2 }, { x: 1, y: undefined, z: 3 }]) {
      const expected = await reference.run(facts)
      for (const compiled of [generated, closures]) {
        for (const trace of [false, true]) {
          if (!expected.ok) expect(() => compiled.evaluate(facts, { trace })).toThrow(UndefinedFactError)
          else expect(compiled.evaluate(facts, { trace })).toMatchObject({ fired: expected.fired, events: expected.events })
        }
      }
    }
  })
})

describe('trace', () => {
  it('records per condition the fact value and type, operator, threshold and result, and skipped groups', () => {
    const set = one({ all: [
      { fact: 'entAgeMonths', operator: 'lessThan', value: 24, priority: 2 },
      { any: [{ fact: 'legalRepAge', operator: 'greaterThan', value: 65 }] },
    ] })
    const compiled = compileRuleSet(set, { typeCheck: false })
    const fired = compiled.evaluate({ entAgeMonths: '12', legalRepAge: 70 }, { trace: true })
    expect(fired.trace).toEqual([{ name: 'R', priority: 1, fired: true, conditions: { kind: 'all', pointer: '/rules/0/conditions', result: true, children: [
      { kind: 'fact', pointer: '/rules/0/conditions/all/0', fact: 'entAgeMonths', operator: 'lessThan', value: '12', valueType: 'string', threshold: 24, result: true },
      { kind: 'any', pointer: '/rules/0/conditions/all/1', result: true, children: [
        { kind: 'fact', pointer: '/rules/0/conditions/all/1/any/0', fact: 'legalRepAge', operator: 'greaterThan', value: 70, valueType: 'number', threshold: 65, result: true }] },
    ] } }])
    const skipped = compiled.evaluate({ entAgeMonths: 30, legalRepAge: 70 }, { trace: true })
    expect(skipped.trace?.[0]?.fired).toBe(false)
    expect((skipped.trace?.[0]?.conditions as { children: unknown[] }).children[1]).toEqual({ kind: 'skipped', pointer: '/rules/0/conditions/all/1' })
    expect(compiled.evaluate({ entAgeMonths: 30, legalRepAge: 70 }).trace).toBeUndefined()
  })
})

describe('decisions', () => {
  const ev = (type: string, p: Record<string, unknown>) => ({ type, params: { ...params, reasonCode: type, ...p } })
  it('first-decline: decline beats refer, reasons list declines first', () => {
    const d = decide('first-decline', [ev('refer', { reasonCode: 'R1' }), ev('decline', { reasonCode: 'D1' })], {})
    expect([d.outcome, d.reasons.map((r) => r.code)]).toEqual(['DECLINE', ['D1', 'R1']])
    expect(decide('first-decline', [], {}).outcome).toBe('PASS')
  })
  it('first-decline through evaluate: declines are listed first even after a higher-priority refer; other event types give no reason', () => {
    const always = (name: string, priority: number, type: string) => ({ name, priority, conditions: { all: [] }, event: { type, params: { ...params, reasonCode: name } } })
    const set: RuleSet = { id: 't', version: '1', description: '', decision: 'first-decline', rules: [always('R1', 9, 'refer'), always('N1', 5, 'note'), always('D1', 1, 'decline')] }
    const e = compileRuleSet(set, { typeCheck: false }).evaluate({})
    expect([e.outcome, e.decision.reasons.map((r) => r.code)]).toEqual(['DECLINE', ['D1', 'R1']])
    expect(e.decision).toEqual(decide('first-decline', e.events, {}))
  })
  it('collect: highest level wins, level shifts apply to sourceLevel, signals keep their maximum weight', () => {
    expect(decide('collect', [ev('w', { level: 'LOW' }), ev('w', { level: 'HIGH' })], {}).outcome).toBe('HIGH')
    expect(decide('collect', [ev('p', { levelShift: -1 }), ev('p', { levelShift: -2 })], { sourceLevel: 'HIGH' }).outcome).toBe('MEDIUM')
    expect(decide('collect', [ev('p', { levelShift: -1 })], { sourceLevel: 'LOW' }).outcome).toBe('NONE')
    const leads = decide('collect', [ev('s', { signal: 'CREDIT', weight: 0.9 }), ev('s', { signal: 'DEPOSIT', weight: 0.95 }), ev('s', { signal: 'CREDIT', weight: 1 })], {})
    expect([leads.outcome, leads.signals]).toEqual(['CREDIT', { CREDIT: 1, DEPOSIT: 0.95 }])
  })
  it('score: first grade and rate win, adjustments add, caps take the minimum, the most severe outcome wins', () => {
    const d = decide('score', [
      ev('grade', { grade: 'A', rateBps: 380 }), ev('grade', { grade: 'B', rateBps: 450 }),
      ev('limit', { limitBase: 1_000_001, limitFactor: 0.3, limitCap: 900_000 }), ev('limit', { limitCap: 250_000.7 }),
      ev('price', { rateAdjustBps: 50 }), ev('outcome', { outcome: 'APPROVE' }), ev('outcome', { outcome: 'REFER' }),
    ], {})
    expect([d.grade, d.rateBps, d.limit, d.outcome]).toEqual(['A', 430, 250_000, 'REFER'])
    expect(decide('score', [], {}).outcome).toBe('REFER')
  })
})

describe('size', () => {
  it('compiles a 10,000-rule set (no hang) and evaluates it', () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => ({ name: `R${i}`, priority: 1 + (i % 7),
      conditions: { all: [{ fact: 'entAgeMonths', operator: 'greaterThanInclusive', value: i }] }, event: { type: 'refer', params: { ...params, reasonCode: `R${i}` } } }))
    const start = Date.now()
    const compiled = compileRuleSet({ id: 'big', version: '1', description: '', decision: 'first-decline', rules })
    expect(Date.now() - start).toBeLessThan(15_000)
    expect(compiled.ruleCount).toBe(10_000)
    expect(compiled.evaluate({ entAgeMonths: 2 }).fired.sort()).toEqual(['R0', 'R1', 'R2'])
  })
})
