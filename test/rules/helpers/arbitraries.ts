/** fast-check generators for fact objects (typed values near thresholds, wrongly typed values, missing keys) and rule sets. */
import fc from 'fast-check'
import type { FactCatalog, FactSpec, RuleSet } from '../../../src/rules/index.js'

const OMIT = Symbol('omit')

const WEIRD: unknown[] = [null, undefined, '', '12', '12abc', ' 7', 'A', 'true', true, false, [], [5], ['A'], {}, { a: 1 }, Number.NaN, Infinity, -Infinity, -0, 1e300]

/** Numbers and categories the rules compare each fact with. */
export function thresholds(set: RuleSet): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>()
  const add = (fact: string, v: unknown) => out.set(fact, [...(out.get(fact) ?? []), ...(Array.isArray(v) ? v : [v])])
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk)
    else if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>
      if (typeof n.fact === 'string' && 'value' in n) add(n.fact, n.value)
      for (const k of ['all', 'any', 'not']) if (k in n) walk(n[k])
    }
  }
  set.rules.forEach((r) => walk(r.conditions))
  Object.values(set.conditions ?? {}).forEach(walk)
  return out
}

function typedValue(spec: FactSpec, near: unknown[]): fc.Arbitrary<unknown> {
  const nums = near.filter((v): v is number => typeof v === 'number')
  switch (spec.type) {
    case 'number': {
      const around = nums.length > 0
        ? fc.tuple(fc.constantFrom(...nums), fc.constantFrom(0, 0, 1, -1, 0.5, -0.5, 1e-9, -1e-9, 10, -10)).map(([t, d]) => t + d)
        : fc.constant(0)
      return fc.oneof({ arbitrary: around, weight: 6 }, { arbitrary: fc.integer({ min: -5, max: 100 }), weight: 2 }, { arbitrary: fc.double({ noNaN: true }), weight: 1 })
    }
    case 'boolean': return fc.boolean()
    case 'category': return fc.constantFrom(...(spec.categories ?? []), 'X', ...near.filter((v) => typeof v === 'string'))
    default: return fc.constantFrom(...WEIRD)
  }
}

/** Fact objects for a shipped set: every fact it references, rarely missing, sometimes of the wrong type. */
export function factsFor(set: RuleSet, catalog: FactCatalog, missingRate = 0.003): fc.Arbitrary<Record<string, unknown>> {
  const near = thresholds(set)
  const names = [...near.keys()].sort()
  for (const r of set.rules) for (const v of Object.values(r.event.params ?? {})) {
    if (v && typeof v === 'object' && 'fact' in v && !names.includes(String(v.fact))) names.push(String(v.fact))
  }
  const missingWeight = Math.max(1, Math.round(missingRate * 1000))
  const perFact = names.map((name) => {
    const spec = catalog.get(name) ?? { name, type: 'string' as const, zh: '', en: '' }
    return fc.oneof(
      { arbitrary: typedValue(spec, near.get(name) ?? []), weight: 900 },
      { arbitrary: fc.constantFrom(...WEIRD), weight: 100 - missingWeight },
      { arbitrary: fc.constant(OMIT), weight: missingWeight },
    )
  })
  return fc.tuple(...perFact).map((values) => {
    const facts: Record<string, unknown> = {}
    values.forEach((v, i) => { if (v !== OMIT) facts[names[i] as string] = v })
    return facts
  })
}

// ---- generated rule sets over a small catalogue of facts of every type

export const GEN_FACTS = ['n1', 'n2', 'c1', 'b1', 'o1', 'arr1'] as const
const POOL: unknown[] = [0, 1, 2, 3, -1, 2.5, '1', '2', 'A', 'B', '', 'abc', true, false, null, [], [1, 'A'], ['A', 'B'], [2], { a: { b: 1 } }, { a: 1 }]
const OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan',
  'greaterThanInclusive', 'not:equal', 'someFact:equal', 'everyFact:greaterThan', 'someValue:lessThan', 'swap:in', 'not:swap:contains']
const PATHS = ['$.a', '$.a.b', '$[0]', '$.list[1]', '$.a.length', '$.s[0]']

const factValue = fc.oneof(
  { arbitrary: fc.constantFrom(...POOL), weight: 8 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.record({ a: fc.oneof(fc.record({ b: fc.constantFrom(0, 1, 2, 'x') }, { noNullPrototype: true }), fc.constantFrom(1, 'ab', null)), list: fc.constantFrom([1, 2], ['A'], []), s: fc.constantFrom('xyz', '') }, { noNullPrototype: true }), weight: 2 },
)

export function genFacts(missingRate: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(...GEN_FACTS.map(() => fc.tuple(fc.noBias(fc.integer({ min: 0, max: 999 })), factValue))).map((pairs) => {
    const facts: Record<string, unknown> = {}
    pairs.forEach(([p, v], i) => { if (p >= missingRate * 1000) facts[GEN_FACTS[i] as string] = v })
    return facts
  })
}

const ref = fc.record({ fact: fc.constantFrom(...GEN_FACTS) }, { requiredKeys: ['fact'] })
  .chain((r) => fc.option(fc.constantFrom(...PATHS), { nil: undefined, freq: 3 }).map((path) => (path ? { ...r, path } : r)))

const ARRAYS: unknown[] = [[], [1, 'A'], ['A', 'B'], [2], [0, 1, 2, 3], ['1', 2, true, null], [[1]], 'abc', 'A1']
// Operators that call value.indexOf/some/every: mostly give them arrays, sometimes not (the reference then throws).
const LIST_OPERATORS = new Set(['in', 'notIn', 'someValue:lessThan', 'swap:in'])

const leaf = fc.constantFrom(...OPERATORS).chain((operator) => fc.record({
  fact: fc.constantFrom(...GEN_FACTS),
  operator: fc.constant(operator),
  value: LIST_OPERATORS.has(operator)
    ? fc.oneof({ arbitrary: fc.constantFrom(...ARRAYS), weight: 12 }, { arbitrary: fc.constantFrom(...POOL), weight: 1 }, { arbitrary: ref, weight: 1 })
    : fc.oneof({ arbitrary: fc.constantFrom(...POOL), weight: 6 }, { arbitrary: ref, weight: 1 }),
  path: fc.option(fc.constantFrom(...PATHS), { nil: undefined, freq: 4 }),
  priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 2 }),
})).map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)))

function conditionArb(sharedNames: string[]): fc.Arbitrary<Record<string, unknown>> {
  const { node } = fc.letrec<{ node: Record<string, unknown>; group: Record<string, unknown> }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('group')),
    group: fc.oneof(
      fc.record({ all: fc.array(tie('node'), { maxLength: 4 }), priority: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ any: fc.array(tie('node'), { maxLength: 4 }) }),
      fc.record({ not: tie('node') }),
      ...(sharedNames.length > 0 ? [fc.record({ condition: fc.constantFrom(...sharedNames) })] : []),
    ),
  }))
  return fc.oneof(
    fc.record({ all: fc.array(node, { maxLength: 4 }) }),
    fc.record({ any: fc.array(node, { maxLength: 4 }) }),
    fc.record({ not: node }),
    ...(sharedNames.length > 0 ? [fc.record({ condition: fc.constantFrom(...sharedNames) })] : []),
  )
}

/** A rule set; shared condition i may only reference shared conditions after it, so there are no cycles. */
export const ruleSetArb: fc.Arbitrary<RuleSet> = fc.integer({ min: 0, max: 3 }).chain((nShared) => {
  const names = Array.from({ length: nShared }, (_, i) => `shared${i}`)
  const shared = fc.tuple(...names.map((_, i) => conditionArb(names.slice(i + 1))))
  const rule = fc.record({
    priority: fc.integer({ min: 1, max: 3 }),
    conditions: conditionArb(names),
    extra: fc.oneof(fc.constantFrom(...POOL), ref),
  })
  return fc.tuple(shared, fc.array(rule, { minLength: 1, maxLength: 8 })).map(([sh, rules]) => ({
    id: 'generated', version: '1', description: 'generated', decision: 'collect' as const,
    conditions: Object.fromEntries(names.map((n, i) => [n, sh[i]])) as unknown as RuleSet['conditions'],
    rules: rules.map((r, i) => ({
      name: `R${i}`, priority: r.priority, conditions: r.conditions as never,
      event: { type: `t${i % 3}`, params: { reasonCode: `R${i}`, reasonZh: '生成', reasonEn: 'generated', extra: r.extra } },
    })),
  }))
})
