/**
 * What a rule set's fired events mean, per `decision` kind. Events arrive in evaluation order: rule
 * priority descending, then declaration order within a priority.
 *
 * - first-decline (admission, anti-fraud): DECLINE if any `decline` event fired, else REFER if any `refer`
 *   fired, else PASS. Every rule is still evaluated so the record lists every reason; the first decline in
 *   evaluation order is the primary reason (reasons[0]), then the other declines, then the refers.
 * - collect (warning levels, propagation, lead signals): every fired event counts. An event's level is
 *   `params.level`, or `params.levelShift` applied to the `sourceLevel` fact (propagation; below LOW drops).
 *   The outcome is the highest level (HIGH > MEDIUM > LOW), or NONE. Sets whose events carry `signal` and
 *   `weight` instead (lead signals) get per-signal maximum weights, and the outcome is the signal with the
 *   highest weight (earliest event on a tie), or NONE.
 * - score (strategy): each field is settled independently, in evaluation order: `grade` and `rateBps` — the
 *   first event that sets it wins (so higher priority wins); `rateAdjustBps` — summed over all events;
 *   limit — the first event with `limit`, or with `limitBase` × `limitFactor` (a fact reference resolves the
 *   base), sets the base, and every `limitCap` lowers it (the minimum wins), floored to whole yuan;
 *   `outcome` — the most severe wins (DECLINE > REFER > APPROVE), REFER when no rule set one.
 */
import { shiftLevel, WARNING_LEVELS, type WarningLevel } from './event-types.js'
import type { DecisionKind, Facts } from './types.js'

export interface FiredEvent {
  type: string
  params?: Readonly<Record<string, unknown>>
}

export interface Reason {
  code: string
  zh: string
  en: string
  type: string
}

export interface Decision {
  outcome: string
  reasons: Reason[]
  level?: WarningLevel | null
  signals?: Record<string, number>
  grade?: string | null
  limit?: number | null
  rateBps?: number | null
}

/**
 * The reason an event gives (its reasonCode/reasonZh/reasonEn params, '' when absent), frozen: the compiler
 * builds it once per rule whose event references no fact and shares it between evaluations.
 */
export function reasonOf(e: FiredEvent): Reason {
  const p = e.params ?? {}
  return Object.freeze({ code: String(p.reasonCode ?? ''), zh: String(p.reasonZh ?? ''), en: String(p.reasonEn ?? ''), type: e.type })
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/**
 * The decision of a rule set's fired events. `reasons` holds reasonOf of each event, in the same order, when
 * the caller has them already (the compiled evaluator collects them as rules fire); the decision may then use
 * that very array as its `reasons`, so the caller hands it over.
 */
export function decide(kind: DecisionKind, events: readonly FiredEvent[], facts: Facts, reasons: Reason[] = events.map(reasonOf)): Decision {
  if (kind === 'first-decline') return decideFirstDecline(events, reasons)
  if (kind === 'collect') return decideCollect(events, facts, reasons)
  return decideScore(events, reasons)
}

function decideFirstDecline(events: readonly FiredEvent[], reasons: Reason[]): Decision {
  let declines = 0
  let refers = 0
  // Whether the events are already declines then refers (the usual case: declines have the higher priority).
  let ordered = true
  for (const e of events) {
    if (e.type === 'decline') {
      declines++
      if (refers > 0) ordered = false
    } else if (e.type === 'refer') refers++
    else ordered = false
  }
  const outcome = declines > 0 ? 'DECLINE' : refers > 0 ? 'REFER' : 'PASS'
  if (ordered) return { outcome, reasons }
  const listed: Reason[] = []
  for (let i = 0; i < events.length; i++) if ((events[i] as FiredEvent).type === 'decline') listed.push(reasons[i] as Reason)
  for (let i = 0; i < events.length; i++) if ((events[i] as FiredEvent).type === 'refer') listed.push(reasons[i] as Reason)
  return { outcome, reasons: listed }
}

function eventLevel(e: FiredEvent, facts: Facts): WarningLevel | null {
  const p = e.params ?? {}
  if (WARNING_LEVELS.includes(p.level as WarningLevel)) return p.level as WarningLevel
  const shift = finite(p.levelShift)
  const source = facts.sourceLevel
  if (shift !== null && WARNING_LEVELS.includes(source as WarningLevel)) return shiftLevel(source as WarningLevel, shift)
  return null
}

function decideCollect(events: readonly FiredEvent[], facts: Facts, reasons: Reason[]): Decision {
  let level: WarningLevel | null = null
  let hasLevels = false
  const signals: Record<string, number> = {}
  let best: { signal: string; weight: number } | null = null
  for (const e of events) {
    const p = e.params ?? {}
    if (Object.hasOwn(p, 'level') || Object.hasOwn(p, 'levelShift')) {
      hasLevels = true
      const l = eventLevel(e, facts)
      if (l && (level === null || WARNING_LEVELS.indexOf(l) < WARNING_LEVELS.indexOf(level))) level = l
    }
    const weight = finite(p.weight)
    if (typeof p.signal === 'string' && weight !== null) {
      signals[p.signal] = Math.max(signals[p.signal] ?? -Infinity, weight)
      if (!best || weight > best.weight) best = { signal: p.signal, weight }
    }
  }
  if (hasLevels || !best) return { outcome: level ?? 'NONE', reasons, level }
  return { outcome: best.signal, reasons, signals }
}

const SEVERITY = ['APPROVE', 'REFER', 'DECLINE']

function decideScore(events: readonly FiredEvent[], reasons: Reason[]): Decision {
  let grade: string | null = null
  let rateBps: number | null = null
  let adjust = 0
  let base: number | null = null
  let cap = Infinity
  let outcome: string | null = null
  for (const e of events) {
    const p = e.params ?? {}
    if (grade === null && typeof p.grade === 'string') grade = p.grade
    if (rateBps === null && finite(p.rateBps) !== null) rateBps = p.rateBps as number
    adjust += finite(p.rateAdjustBps) ?? 0
    if (base === null) {
      const direct = finite(p.limit)
      const b = finite(p.limitBase)
      const factor = finite(p.limitFactor)
      base = direct ?? (b !== null && factor !== null ? b * factor : null)
    }
    const c = finite(p.limitCap)
    if (c !== null) cap = Math.min(cap, c)
    if (typeof p.outcome === 'string' && SEVERITY.includes(p.outcome) && (outcome === null || SEVERITY.indexOf(p.outcome) > SEVERITY.indexOf(outcome))) {
      outcome = p.outcome
    }
  }
  const limit = base === null ? null : Math.max(0, Math.floor(Math.min(base, cap)))
  return {
    outcome: outcome ?? 'REFER',
    reasons,
    grade,
    limit,
    rateBps: rateBps === null ? null : rateBps + adjust,
  }
}
