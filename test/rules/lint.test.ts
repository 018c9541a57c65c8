import { describe, expect, it } from 'vitest'
import { compileRuleSet, lintRuleSet, RULE_SET_LIMITS, RuleSetInvalidError, type RuleSet } from '../../src/rules/index.js'

const reason = (code: string) => ({ reasonCode: code, reasonZh: '原因', reasonEn: 'reason' })
function set(rules: unknown[], extra: Record<string, unknown> = {}): RuleSet {
  return { id: 'admission', version: '1', description: 'test', decision: 'first-decline', rules, ...extra } as RuleSet
}
const rule = (name: string, conditions: unknown, type = 'decline', priority = 1, params: Record<string, unknown> = {}) =>
  ({ name, priority, conditions, event: { type, params: { ...reason(name), ...params } } })
const codes = (issues: { code: string; pointer: string; rule: string | null }[]) => issues.map((i) => [i.code, i.rule, i.pointer])

describe('lintRuleSet errors', () => {
  it('locates fact, operator, value-type, name and reason-code errors by file, rule and JSON pointer', () => {
    const { errors } = lintRuleSet(set([
      rule('A', { all: [{ fact: 'noSuchFact', operator: 'equal', value: 1 }] }),
      rule('B', { all: [{ fact: 'entAgeMonths', operator: 'roughlyEqual', value: 1 }] }),
      rule('C', { any: [{ fact: 'entAgeMonths', operator: 'lessThan', value: '24' }] }),
      rule('C', { all: [{ fact: 'taxCreditGrade', operator: 'in', value: ['A', 'Z'] }] }),
      { name: 'E', conditions: { all: [] }, event: { type: 'decline', params: { reasonCode: 'E' } } },
      rule('F', { all: [{ fact: 'isListed', operator: 'equal', value: 'yes' }] }),
      rule('G', { all: [{ fact: 'taxCreditGrade', operator: 'greaterThan', value: 1 }] }),
    ]), { file: 'rules/admission.json' })
    expect(errors.every((e) => e.file === 'rules/admission.json')).toBe(true)
    expect(codes(errors)).toEqual([
      ['unknown_fact', 'A', '/rules/0/conditions/all/0/fact'],
      ['unknown_operator', 'B', '/rules/1/conditions/all/0/operator'],
      ['value_type', 'C', '/rules/2/conditions/any/0/value'],
      ['duplicate_name', 'C', '/rules/3/name'],
      ['value_type', 'C', '/rules/3/conditions/all/0/value/1'],
      ['reason_code', 'E', '/rules/4/event/params/reasonZh'],
      ['reason_code', 'E', '/rules/4/event/params/reasonEn'],
      ['value_type', 'F', '/rules/5/conditions/all/0/value'],
      ['operator_type', 'G', '/rules/6/conditions/all/0/operator'],
    ])
  })

  it('checks the envelope and the shape of conditions', () => {
    const { errors } = lintRuleSet({ id: 'Bad Id', version: '', decision: 'maybe', rules: [
      { name: 'A', conditions: { fact: 'entAgeMonths', operator: 'equal', value: 1 }, event: { type: 'decline', params: reason('A') } },
      { name: 'B', conditions: { all: [{ all: [], any: [] }] }, event: { type: 'decline', params: reason('B') }, extra: 1 },
      { name: 'C', conditions: { not: [] }, event: { type: 'decline', params: reason('C') }, priority: 0 },
    ], surprise: true })
    expect(codes(errors)).toEqual([
      ['schema', null, '/surprise'],
      ['schema', null, '/id'],
      ['schema', null, '/version'],
      ['schema', null, '/description'],
      ['schema', null, '/decision'],
      ['schema', 'A', '/rules/0/conditions'],
      ['schema', 'B', '/rules/1/extra'],
      ['schema', 'B', '/rules/1/conditions/all/0'],
      ['schema', 'C', '/rules/2/priority'],
      ['schema', 'C', '/rules/2/conditions/not'],
    ])
  })

  it('reports unknown condition references, cycles and unsupported paths', () => {
    const { errors } = lintRuleSet(set([
      rule('A', { condition: 'missing' }),
      rule('B', { condition: 'loopA' }),
      rule('C', { all: [{ fact: 'entAgeMonths', path: '$..x', operator: 'equal', value: 1 }] }),
    ], { conditions: { loopA: { any: [{ condition: 'loopB' }] }, loopB: { all: [{ condition: 'loopA' }] } } }))
    expect(codes(errors)).toEqual([
      ['condition_cycle', null, '/conditions/loopA'],
      ['condition_cycle', null, '/conditions/loopB'],
      ['unknown_condition', 'A', '/rules/0/conditions/condition'],
      ['unsupported_path', 'C', '/rules/2/conditions/all/0/path'],
      ['path_on_scalar', 'C', '/rules/2/conditions/all/0/path'],
    ])
  })

  it('accepts context facts only in their own set', () => {
    const cond = { all: [{ fact: 'eventType', operator: 'equal', value: 'LAWSUIT' }] }
    const warning = { ...set([rule('W', cond, 'warning', 1, { level: 'LOW' })]), id: 'warning-levels', decision: 'collect' } as RuleSet
    expect(lintRuleSet(warning).errors).toEqual([])
    expect(codes(lintRuleSet(set([rule('W', cond)])).errors)).toEqual([['unknown_fact', 'W', '/rules/0/conditions/all/0/fact']])
    const badCode = { ...warning, rules: [rule('W', { all: [{ fact: 'eventType', operator: 'equal', value: 'NOT_A_TYPE' }] }, 'warning')] }
    expect(codes(lintRuleSet(badCode).errors)).toEqual([['value_type', 'W', '/rules/0/conditions/all/0/value']])
  })

  it('refuses a set beyond the size limit with a limit error, quickly', () => {
    const many = set(Array.from({ length: RULE_SET_LIMITS.maxRules + 1 }, (_, i) => rule(`R${i}`, { all: [] })))
    const start = Date.now()
    expect(codes(lintRuleSet(many).errors)).toEqual([['limit_exceeded', null, '/rules']])
    expect(() => compileRuleSet(many)).toThrow(RuleSetInvalidError)
    expect(Date.now() - start).toBeLessThan(2000)
  })
})

describe('lintRuleSet warnings', () => {
  it('finds unreachable and shadowed rules and empty groups', () => {
    const { errors, warnings } = lintRuleSet(set([
      rule('CONTRADICTION', { all: [{ fact: 'entAgeMonths', operator: 'lessThan', value: 10 }, { fact: 'entAgeMonths', operator: 'greaterThan', value: 20 }] }),
      rule('OUT-OF-RANGE', { all: [{ fact: 'legalRepAge', operator: 'greaterThan', value: 500 }] }),
      rule('WIDE', { all: [{ fact: 'entAgeMonths', operator: 'lessThan', value: 24 }] }, 'decline', 10),
      rule('NARROW', { all: [{ fact: 'entAgeMonths', operator: 'lessThan', value: 12 }, { fact: 'isListed', operator: 'equal', value: false }] }, 'decline', 5),
      rule('EMPTY-ANY', { any: [] }, 'refer'),
    ]))
    expect(errors).toEqual([])
    expect(codes(warnings)).toEqual([
      ['empty_group', 'EMPTY-ANY', '/rules/4/conditions/any'],
      ['unreachable_rule', 'CONTRADICTION', '/rules/0/conditions'],
      ['unreachable_rule', 'OUT-OF-RANGE', '/rules/1/conditions'],
      ['shadowed_rule', 'NARROW', '/rules/3/conditions'],
    ])
  })

  it('finds gaps and overlaps in a numeric ladder of a score set', () => {
    const grade = (name: string, lo: number | null, hi: number | null, g: string) => rule(name, {
      all: [...(lo === null ? [] : [{ fact: 'pd', operator: 'greaterThanInclusive', value: lo }]), ...(hi === null ? [] : [{ fact: 'pd', operator: 'lessThan', value: hi }])],
    }, 'grade', 1, { grade: g })
    const ladder = { ...set([grade('A', null, 0.01, 'A'), grade('B', 0.02, 0.05, 'B'), grade('C', 0.04, null, 'C')]), decision: 'score' } as RuleSet
    expect(codes(lintRuleSet(ladder).warnings)).toEqual([
      ['ladder_gap', 'B', '/rules/1/conditions'],
      ['ladder_overlap', 'C', '/rules/2/conditions'],
    ])
    const contiguous = { ...ladder, rules: [grade('A', null, 0.01, 'A'), grade('B', 0.01, 0.05, 'B'), grade('C', 0.05, null, 'C')] }
    expect(lintRuleSet(contiguous).warnings).toEqual([])
  })
})
