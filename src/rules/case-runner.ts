import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CompiledRuleSet } from './compile.js'
import type { Facts } from './types.js'

/** rules/tests/<id>.cases.json: facts (over shared base facts) → the rules expected to fire and the outcome. */
export interface RuleCases {
  ruleSet: string
  baseFacts?: Record<string, unknown>
  cases: { name: string; facts: Record<string, unknown>; expect: { fired?: string[]; outcome?: string; decision?: Record<string, unknown> } }[]
}

export interface CaseFailure { case: string; index: number; message: string }

export function casesPath(dir: string, ruleSetId: string): string {
  return join(dir, 'tests', `${ruleSetId}.cases.json`)
}

export function loadCases(dir: string, ruleSetId: string): RuleCases | null {
  const path = casesPath(dir, ruleSetId)
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RuleCases) : null
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Runs every case; a case fails when the fired rules (in order), the outcome or the named decision fields differ. */
export function runCases(compiled: CompiledRuleSet, cases: RuleCases): CaseFailure[] {
  const failures: CaseFailure[] = []
  cases.cases.forEach((c, index) => {
    let result
    try {
      result = compiled.evaluate({ ...(cases.baseFacts ?? {}), ...c.facts } as Facts)
    } catch (err) {
      failures.push({ case: c.name, index, message: `evaluation failed: ${err instanceof Error ? err.message : String(err)}` })
      return
    }
    const { fired, outcome, decision } = c.expect
    if (fired && !same(result.fired, fired)) failures.push({ case: c.name, index, message: `fired ${JSON.stringify(result.fired)}, expected ${JSON.stringify(fired)}` })
    if (outcome !== undefined && result.outcome !== outcome) failures.push({ case: c.name, index, message: `outcome ${result.outcome}, expected ${outcome}` })
    for (const [k, v] of Object.entries(decision ?? {})) {
      const got = (result.decision as unknown as Record<string, unknown>)[k]
      if (!same(got, v)) failures.push({ case: c.name, index, message: `decision.${k} ${JSON.stringify(got)}, expected ${JSON.stringify(v)}` })
    }
  })
  return failures
}
