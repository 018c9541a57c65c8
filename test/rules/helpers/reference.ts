/**
 * json-rules-engine, configured as our compiler promises to behave, as the reference implementation.
 * Results are normalised: within one priority group json-rules-engine lists rules in the order their promises
 * settle, so we check the groups arrive in descending priority and order each group by declaration.
 */
import { Engine } from 'json-rules-engine'
import type { RuleSet } from '../../../src/rules/index.js'

export type ReferenceResult =
  | { ok: true; fired: string[]; events: unknown[] }
  | { ok: false; error: string }

export interface ReferenceEngine {
  run(facts: Record<string, unknown>): Promise<ReferenceResult>
}

function newEngine(set: RuleSet, allowUndefinedFacts: boolean): Engine {
  const engine = new Engine([], { allowUndefinedFacts, replaceFactsInEventParams: true })
  // json-rules-engine mutates what it is given (condition priorities), so it gets its own copy.
  for (const [name, cond] of Object.entries(structuredClone(set.conditions ?? {}))) engine.setCondition(name, cond as never)
  for (const rule of structuredClone(set.rules)) engine.addRule(rule as never)
  return engine
}

/**
 * One engine per rule set, run sequentially (never concurrently: json-rules-engine issue #303). After a
 * rejected run the engine is replaced: the rejected run keeps evaluating lower priority groups in the
 * background and then marks the engine FINISHED, which would make the next run skip rules.
 */
export function referenceEngine(set: RuleSet, allowUndefinedFacts = false): ReferenceEngine {
  let engine = newEngine(set, allowUndefinedFacts)
  const order = new Map(set.rules.map((r, i) => [r.name, i]))
  return {
    async run(facts) {
      try {
        const out = await engine.run(facts)
        const rows = out.results.map((r, i) => ({ name: String(r.name), priority: r.priority as number, event: out.events[i] }))
        for (let i = 1; i < rows.length; i++) {
          if ((rows[i] as { priority: number }).priority > (rows[i - 1] as { priority: number }).priority) throw new Error('priority groups out of order')
        }
        rows.sort((a, b) => b.priority - a.priority || (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0))
        return { ok: true, fired: rows.map((r) => r.name), events: rows.map((r) => r.event) }
      } catch (err) {
        engine = newEngine(set, allowUndefinedFacts)
        return { ok: false, error: err instanceof Error ? err.message : String(err) }
      }
    },
  }
}
