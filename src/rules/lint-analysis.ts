/**
 * Reviewer warnings found by reading rules as boxes: a rule whose conditions are a conjunction of simple
 * comparisons (possibly through shared conditions) becomes a map fact → interval or value set. Then:
 * unreachable (empty box), shadowed (inside the box of a rule that runs no later and has the same effect),
 * and ladders (rules that differ only by one numeric interval: gaps and overlaps). Anything not a box is
 * skipped, so these are hints, never errors.
 */
import type { FactSpec } from './context-facts.js'
import { conditionKind, isFactReference, isObject, report, type LintContext } from './lint-condition.js'
import type { RuleSet } from './types.js'

interface Interval { kind: 'range'; lo: number; loInc: boolean; hi: number; hiInc: boolean }
interface ValueSet { kind: 'set'; values: ReadonlySet<unknown>; negated: boolean }
type Constraint = Interval | ValueSet
type Box = Map<string, Constraint>

const FULL: Interval = { kind: 'range', lo: -Infinity, loInc: false, hi: Infinity, hiInc: false }
const MAX_PAIR_CHECKS = 200_000

function leafConstraint(op: string, value: unknown): Constraint | null {
  if (typeof value === 'number') {
    switch (op) {
      case 'lessThan': return { ...FULL, hi: value }
      case 'lessThanInclusive': return { ...FULL, hi: value, hiInc: true }
      case 'greaterThan': return { ...FULL, lo: value }
      case 'greaterThanInclusive': return { ...FULL, lo: value, loInc: true }
    }
  }
  if (op === 'equal') return { kind: 'set', values: new Set([value]), negated: false }
  if (op === 'notEqual') return { kind: 'set', values: new Set([value]), negated: true }
  if ((op === 'in' || op === 'notIn') && Array.isArray(value)) return { kind: 'set', values: new Set(value), negated: op === 'notIn' }
  return null
}

function intersect(a: Constraint, b: Constraint): Constraint | null {
  if (a.kind === 'range' && b.kind === 'range') {
    const [lo, loInc] = a.lo > b.lo ? [a.lo, a.loInc] : b.lo > a.lo ? [b.lo, b.loInc] : [a.lo, a.loInc && b.loInc]
    const [hi, hiInc] = a.hi < b.hi ? [a.hi, a.hiInc] : b.hi < a.hi ? [b.hi, b.hiInc] : [a.hi, a.hiInc && b.hiInc]
    return { kind: 'range', lo, loInc, hi, hiInc }
  }
  if (a.kind === 'set' && b.kind === 'set') {
    if (!a.negated && !b.negated) return { kind: 'set', values: new Set([...a.values].filter((v) => b.values.has(v))), negated: false }
    if (a.negated && b.negated) return { kind: 'set', values: new Set([...a.values, ...b.values]), negated: true }
    const [pos, neg] = a.negated ? [b, a] : [a, b]
    return { kind: 'set', values: new Set([...pos.values].filter((v) => !neg.values.has(v))), negated: false }
  }
  return null
}

function isEmpty(c: Constraint, spec: FactSpec | undefined): boolean {
  if (c.kind === 'range') {
    const min = spec?.range?.min ?? -Infinity
    const max = spec?.range?.max ?? Infinity
    const [lo, loInc] = c.lo >= min ? [c.lo, c.loInc] : [min, true]
    const [hi, hiInc] = c.hi <= max ? [c.hi, c.hiInc] : [max, true]
    return lo > hi || (lo === hi && !(loInc && hiInc))
  }
  if (!c.negated) return c.values.size === 0
  return spec?.categories !== undefined && spec.categories.every((v) => c.values.has(v))
}

/** A rule's conditions as a box, or null when they are not a plain conjunction of simple comparisons. */
function toBox(node: unknown, shared: Record<string, unknown>, box: Box, depth = 0): boolean {
  if (!isObject(node) || depth > 16) return false
  const kind = conditionKind(node)
  if (kind === 'all' && Array.isArray(node.all)) return node.all.every((c) => toBox(c, shared, box, depth + 1))
  if (kind === 'any' && Array.isArray(node.any) && node.any.length === 1) return toBox(node.any[0], shared, box, depth + 1)
  if (kind === 'condition' && typeof node.condition === 'string') return toBox(shared[node.condition], shared, box, depth + 1)
  if (kind !== 'fact' || node.path !== undefined || isFactReference(node.value) || typeof node.fact !== 'string') return false
  const c = leafConstraint(String(node.operator), node.value)
  if (!c) return false
  const prev = box.get(node.fact)
  const merged = prev ? intersect(prev, c) : c
  if (!merged) return false
  box.set(node.fact, merged)
  return true
}

function contains(outer: Constraint, inner: Constraint): boolean {
  if (outer.kind === 'range' && inner.kind === 'range') {
    const loOk = inner.lo > outer.lo || (inner.lo === outer.lo && (outer.loInc || !inner.loInc))
    const hiOk = inner.hi < outer.hi || (inner.hi === outer.hi && (outer.hiInc || !inner.hiInc))
    return loOk && hiOk
  }
  if (outer.kind === 'set' && inner.kind === 'set') {
    if (!inner.negated && !outer.negated) return [...inner.values].every((v) => outer.values.has(v))
    if (!inner.negated && outer.negated) return [...inner.values].every((v) => !outer.values.has(v))
    if (inner.negated && outer.negated) return [...outer.values].every((v) => inner.values.has(v))
  }
  return false
}

function boxContains(outer: Box, inner: Box): boolean {
  for (const [fact, c] of outer) {
    const ic = inner.get(fact)
    if (!ic || !contains(c, ic)) return false
  }
  return true
}

interface Entry { index: number; name: string; priority: number; box: Box; effect: string; type: string }

/** The event's effect: its type and params without the reason texts, canonicalised. */
function effectOf(event: RuleSet['rules'][number]['event']): string {
  const params = Object.entries(event.params ?? {}).filter(([k]) => !k.startsWith('reason')).sort(([a], [b]) => (a < b ? -1 : 1))
  return JSON.stringify([event.type, params])
}

function describeConstraint(c: Constraint): string {
  if (c.kind === 'set') return `${c.negated ? 'not in' : 'in'} ${JSON.stringify([...c.values])}`
  return `${c.loInc ? '[' : '('}${c.lo}, ${c.hi}${c.hiInc ? ']' : ')'}`
}

export function analyseRuleSet(ctx: LintContext, set: RuleSet): void {
  const shared = (set.conditions ?? {}) as Record<string, unknown>
  const used = new Set<string>()
  const entries: Entry[] = []
  set.rules.forEach((rule, index) => {
    collectRefs(rule.conditions, shared, used)
    const box: Box = new Map()
    if (!toBox(rule.conditions, shared, box)) return
    const empty = [...box].find(([fact, c]) => isEmpty(c, ctx.facts?.get(fact)))
    if (empty) {
      report(ctx, 'warning', rule.name, `/rules/${index}/conditions`, 'unreachable_rule',
        `can never fire: ${empty[0]} must be ${describeConstraint(empty[1])}, which is empty within its range`)
      return
    }
    entries.push({ index, name: rule.name, priority: rule.priority ?? 1, box, effect: effectOf(rule.event), type: rule.event.type })
  })
  for (const name of Object.keys(shared)) {
    if (!used.has(name)) report(ctx, 'warning', null, `/conditions/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`, 'unused_condition', `shared condition "${name}" is not used`)
  }
  findShadowed(ctx, entries)
  if (set.decision !== 'first-decline') findLadderIssues(ctx, entries)
}

function collectRefs(node: unknown, shared: Record<string, unknown>, used: Set<string>, depth = 0): void {
  if (depth > 64) return
  if (Array.isArray(node)) node.forEach((c) => collectRefs(c, shared, used, depth + 1))
  else if (isObject(node)) {
    if (typeof node.condition === 'string' && !used.has(node.condition)) {
      used.add(node.condition)
      collectRefs(shared[node.condition], shared, used, depth + 1)
    }
    for (const k of ['all', 'any', 'not'] as const) if (Object.hasOwn(node, k)) collectRefs(node[k], shared, used, depth + 1)
  }
}

function findShadowed(ctx: LintContext, entries: Entry[]): void {
  // Only a rule constraining a subset of the inner rule's facts can contain it: index rules by fact.
  const byEffectFact = new Map<string, Entry[]>()
  const unconstrained = new Map<string, Entry[]>()
  for (const e of entries) {
    if (e.box.size === 0) unconstrained.set(e.effect, [...(unconstrained.get(e.effect) ?? []), e])
    for (const fact of e.box.keys()) {
      const key = `${e.effect}\u0000${fact}`
      const list = byEffectFact.get(key)
      if (list) list.push(e)
      else byEffectFact.set(key, [e])
    }
  }
  let checks = 0
  for (const inner of entries) {
    const lists = [unconstrained.get(inner.effect) ?? [], ...[...inner.box.keys()].map((fact) => byEffectFact.get(`${inner.effect}\u0000${fact}`) ?? [])]
    // An outer rule listed under several facts is simply checked again; the budget bounds the total work.
    search: for (const list of lists) {
      for (const outer of list) {
        if (++checks > MAX_PAIR_CHECKS) {
          report(ctx, 'warning', null, '/rules', 'analysis_truncated', `shadowing analysis stopped after ${MAX_PAIR_CHECKS} rule pairs`)
          return
        }
        if (outer === inner || outer.priority < inner.priority || outer.box.size > inner.box.size) continue
        // Identical boxes shadow each other; report only the later one.
        if (boxContains(outer.box, inner.box) && !(boxContains(inner.box, outer.box) && inner.priority === outer.priority && inner.index < outer.index)) {
          report(ctx, 'warning', inner.name, `/rules/${inner.index}/conditions`, 'shadowed_rule',
            `fires only when "${outer.name}" (/rules/${outer.index}) also fires with the same effect`)
          break search
        }
      }
    }
  }
}

function findLadderIssues(ctx: LintContext, entries: Entry[]): void {
  const ladders = new Map<string, { entry: Entry; range: Interval }[]>()
  for (const e of entries) {
    const ranges = [...e.box].filter(([, c]) => c.kind === 'range')
    if (ranges.length !== 1) continue
    const [fact, range] = ranges[0] as [string, Interval]
    const rest = [...e.box].filter(([f]) => f !== fact).map(([f, c]) => [f, describeConstraint(c)]).sort()
    const paramKeys = (JSON.parse(e.effect) as [string, [string, unknown][]])[1].map(([k]) => k)
    const key = JSON.stringify([e.type, fact, rest, paramKeys])
    ladders.set(key, [...(ladders.get(key) ?? []), { entry: e, range }])
  }
  for (const [key, steps] of ladders) {
    if (steps.length < 2) continue
    const fact = (JSON.parse(key) as unknown[])[1] as string
    steps.sort((a, b) => a.range.lo - b.range.lo || Number(b.range.loInc) - Number(a.range.loInc))
    let prev = steps[0] as { entry: Entry; range: Interval }
    for (const step of steps.slice(1)) {
      const { lo, loInc } = step.range
      const at = `/rules/${step.entry.index}/conditions`
      if (lo < prev.range.hi || (lo === prev.range.hi && loInc && prev.range.hiInc)) {
        if (step.entry.effect !== prev.entry.effect) {
          report(ctx, 'warning', step.entry.name, at, 'ladder_overlap', `${fact} ${describeConstraint(step.range)} overlaps "${prev.entry.name}" ${describeConstraint(prev.range)}`)
        }
      } else if (lo > prev.range.hi || (lo === prev.range.hi && !loInc && !prev.range.hiInc)) {
        report(ctx, 'warning', step.entry.name, at, 'ladder_gap', `${fact} between "${prev.entry.name}" ${describeConstraint(prev.range)} and ${describeConstraint(step.range)} is covered by no rule`)
      }
      if (step.range.hi > prev.range.hi || (step.range.hi === prev.range.hi && step.range.hiInc)) prev = step
    }
  }
}
