/**
 * Differential test against json-rules-engine 7 (the reference), on the shipped sets and on generated sets:
 * same rules fired in the same order (per priority group, see helpers/reference.ts), same event params,
 * and an error exactly when the reference rejects. Both evaluators (fast and traced) are checked.
 *
 * Default: RULES_DIFF_N fact objects per shipped set (2,000) and RULES_DIFF_SETS generated sets (150 × 20 facts).
 * Long run: RULES_DIFF_N=100000 RULES_DIFF_SETS=5000 npx vitest run test/rules/differential.test.ts
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileRuleSet, factCatalogFor, loadShippedRuleSets, type CompiledRuleSet, type RuleSet } from '../../src/rules/index.js'
import { factsFor, genFacts, ruleSetArb } from './helpers/arbitraries.js'
import { referenceEngine, type ReferenceEngine, type ReferenceResult } from './helpers/reference.js'

const N = Number(process.env.RULES_DIFF_N ?? 2000)
const SETS = Number(process.env.RULES_DIFF_SETS ?? 150)
const FACTS_PER_SET = 20
const TIMEOUT = Math.max(120_000, N * 3)

type Ours = { ok: true; fired: string[]; events: unknown[] } | { ok: false; error: string }

function ours(compiled: CompiledRuleSet, facts: Record<string, unknown>, trace: boolean): Ours {
  try {
    const r = compiled.evaluate(facts, { trace })
    return { ok: true, fired: r.fired, events: r.events }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) }
  }
}

/** Errors agree when both sides throw; the message of an undefined fact must name the same kind of error. */
function agree(a: Ours, b: ReferenceResult): boolean {
  if (!a.ok || !b.ok) return a.ok === b.ok
  return JSON.stringify(a.fired) === JSON.stringify(b.fired) && JSON.stringify(a.events) === JSON.stringify(b.events)
}

async function check(compiled: CompiledRuleSet, reference: ReferenceEngine, facts: Record<string, unknown>, stats: { errors: number; fired: number }, closures?: CompiledRuleSet): Promise<void> {
  const expected = await reference.run(facts)
  const fast = ours(compiled, facts, false)
  const traced = ours(compiled, facts, true)
  const tree = closures ? ours(closures, facts, false) : expected
  if (!expected.ok) stats.errors++
  else stats.fired += expected.fired.length
  if (!agree(fast, expected) || !agree(traced, expected) || !agree(tree as Ours, expected)) {
    expect({ facts, fast, traced, tree }).toEqual({ facts, fast: expected, traced: expected, tree: expected })
  }
}

describe('differential: shipped rule sets vs json-rules-engine', () => {
  const shipped = loadShippedRuleSets()
  it('loads the six shipped sets', () => {
    expect(shipped.map((s) => s.ruleSet?.id)).toEqual(['admission', 'anti-fraud', 'lead-signals', 'strategy', 'warning-levels', 'warning-propagation'])
  })
  for (const loaded of shipped) {
    const set = loaded.ruleSet as RuleSet
    it(`${set.id}: ${N} fact objects, zero disagreements`, async () => {
      const compiled = compileRuleSet(set)
      const reference = referenceEngine(set)
      const stats = { errors: 0, fired: 0 }
      await fc.assert(fc.asyncProperty(factsFor(set, factCatalogFor(set.id)), (facts) => check(compiled, reference, facts, stats)), { numRuns: N })
      // The generator must exercise both firing rules and undefined-fact errors, or the comparison proves little.
      expect(stats.fired).toBeGreaterThan(N / 20)
      expect(stats.errors).toBeGreaterThan(0)
      if (process.env.RULES_DIFF_REPORT) console.log(`${set.id}: ${N} facts, ${stats.fired} firings, ${stats.errors} reference errors, 0 disagreements`)
    }, TIMEOUT)
  }
})

describe('differential: generated rule sets vs json-rules-engine', () => {
  for (const allowUndefinedFacts of [false, true]) {
    it(`${SETS} sets × ${FACTS_PER_SET} fact objects, allowUndefinedFacts ${allowUndefinedFacts}`, async () => {
      const stats = { errors: 0, fired: 0 }
      await fc.assert(fc.asyncProperty(ruleSetArb, fc.array(genFacts(allowUndefinedFacts ? 0.1 : 0.02), { minLength: FACTS_PER_SET, maxLength: FACTS_PER_SET }), async (set, factsList) => {
        const compiled = compileRuleSet(set, { typeCheck: false, allowUndefinedFacts })
        const closures = compileRuleSet(set, { typeCheck: false, allowUndefinedFacts, codegen: false })
        const reference = referenceEngine(set, allowUndefinedFacts)
        for (const facts of factsList) await check(compiled, reference, facts, stats, closures)
      }), { numRuns: SETS })
      expect(stats.fired).toBeGreaterThan(SETS / 3)
      expect(stats.errors).toBeGreaterThan(0)
      if (process.env.RULES_DIFF_REPORT) console.log(`generated (allowUndefinedFacts ${allowUndefinedFacts}): ${SETS * FACTS_PER_SET} facts, ${stats.fired} firings, ${stats.errors} reference errors`)
    }, TIMEOUT)
  }
})
