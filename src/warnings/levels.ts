/**
 * Classification of one risk event by the `warning-levels` rule set (pure): the facts the set declares in
 * src/rules/context-facts.ts, every one present (null when the event does not carry it).
 */
import type { CompiledRuleSet } from '../rules/compile.js'
import { WARNING_LEVELS, type WarningLevel } from '../rules/event-types.js'
import type { Facts } from '../rules/types.js'

export interface RiskEventInput {
  externalId: string
  uscc: string
  type: string
  occurredAt: string
  severity?: number | null
  amount?: number | null
  source: string
  payload?: Record<string, unknown> | null
}

const TAX_GRADES = new Set(['A', 'B', 'M', 'C', 'D'])

function numberIn(v: unknown, min: number, max: number): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : null
}

/**
 * Facts for warning-levels. Attributes beyond the envelope (sentiment, durationDays, changeRatio, ratio,
 * newTaxGrade) come from the payload when present and in range; out-of-range values count as absent.
 */
export function levelFacts(e: RiskEventInput, occurrences12m: number): Facts {
  const p = e.payload ?? {}
  return {
    eventType: e.type,
    eventSeverity: e.severity ?? null,
    sentiment: numberIn(p.sentiment, -1, 1),
    amount: e.amount ?? null,
    occurrences12m,
    durationDays: numberIn(p.durationDays, 0, 1e5),
    changeRatio: numberIn(p.changeRatio, -1e3, 1e3),
    ratio: numberIn(p.ratio, 0, 1),
    newTaxGrade: typeof p.newTaxGrade === 'string' && TAX_GRADES.has(p.newTaxGrade) ? p.newTaxGrade : null,
  }
}

export interface Classification {
  level: WarningLevel | null
  reasons: string[]
}

export function classify(rules: CompiledRuleSet, facts: Facts): Classification {
  const { decision, fired } = rules.evaluate(facts)
  return { level: decision.level ?? null, reasons: fired }
}

/** HIGH = 2, MEDIUM = 1, LOW = 0; -1 for none. */
export function levelRank(level: string | null | undefined): number {
  const i = WARNING_LEVELS.indexOf(level as WarningLevel)
  return i < 0 ? -1 : WARNING_LEVELS.length - 1 - i
}

export function higherLevel(a: WarningLevel | null, b: WarningLevel | null): WarningLevel | null {
  return levelRank(a) >= levelRank(b) ? a : b
}
