/**
 * The traced evaluator: follows json-rules-engine step by step (every condition of a reached priority group
 * is evaluated, later groups are skipped once the result is known) and records, per condition, the fact value
 * and its type, the operator, the threshold and the result. Wrongly typed facts are evaluated as the
 * reference would and show up here with their actual type.
 */
import { UndefinedFactError } from './errors.js'
import type { FactAccess, IrNode } from './condition-ir.js'
import { hasFact, INHERITED, readerFor } from './compile-fast.js'
import type { Facts } from './types.js'

export interface FactConditionTrace {
  kind: 'fact'
  pointer: string
  fact: string
  path?: string
  operator: string
  /** The fact value the operator saw (after path). */
  value: unknown
  valueType: string
  /** The condition's value, or the referenced fact's value. */
  threshold: unknown
  thresholdFact?: string
  result: boolean
}
export interface GroupTrace { kind: 'all' | 'any' | 'not'; pointer: string; result: boolean; children: ConditionTrace[] }
export interface ReferenceTrace { kind: 'condition'; pointer: string; condition: string; result: boolean; resolved: ConditionTrace }
/** A condition json-rules-engine did not evaluate because a higher-priority group already decided. */
export interface SkippedTrace { kind: 'skipped'; pointer: string }
export type ConditionTrace = FactConditionTrace | GroupTrace | ReferenceTrace | SkippedTrace

export interface RuleTrace {
  name: string
  priority: number
  fired: boolean
  conditions: ConditionTrace
}

export type TracedTest = (f: Facts) => ConditionTrace & { result: boolean }

export function typeOfValue(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

function strictReader(access: FactAccess, strict: boolean): (f: Facts) => unknown {
  const read = readerFor(access)
  if (!strict) return read
  const name = access.fact
  if (access.steps || INHERITED.has(name)) {
    return (f) => {
      if (!hasFact(f, name)) throw new UndefinedFactError(name)
      return read(f)
    }
  }
  // One lookup when the value is defined: only an undefined value needs the presence test.
  return (f) => {
    const value = f[name]
    if (value === undefined && !(name in f)) throw new UndefinedFactError(name)
    return value
  }
}

export function compileTraced(node: IrNode, strict: boolean): TracedTest {
  switch (node.kind) {
    case 'fact': {
      const lhs = strictReader(node.lhs, strict)
      const rhs = node.rhs ? strictReader(node.rhs, strict) : null
      const { pointer, operator, compare, value: staticValue } = node
      const fact = node.lhs.fact
      const path = node.lhs.path
      const thresholdFact = node.rhs?.fact
      return (f) => {
        // json-rules-engine resolves the value before the fact (Promise.all order); either may throw.
        const threshold = rhs ? rhs(f) : staticValue
        const value = lhs(f)
        const result = compare(value, threshold)
        const t: FactConditionTrace = { kind: 'fact', pointer, fact, operator, value, valueType: typeOfValue(value), threshold, result }
        if (path !== undefined) t.path = path
        if (thresholdFact !== undefined) t.thresholdFact = thresholdFact
        return t
      }
    }
    case 'not': {
      const child = compileTraced(node.child, strict)
      const pointer = node.pointer
      return (f) => {
        const c = child(f)
        return { kind: 'not', pointer, result: !c.result, children: [c] }
      }
    }
    case 'condition': {
      const resolved = compileTraced(node.resolved, strict)
      const { pointer, name } = node
      return (f) => {
        const r = resolved(f)
        return { kind: 'condition', pointer, condition: name, result: r.result, resolved: r }
      }
    }
    default: {
      const isAll = node.kind === 'all'
      const { pointer, kind } = node
      const index = new Map(node.children.map((c, i) => [c, i]))
      const groups = node.groups.map((g) => g.map((c) => ({ i: index.get(c) as number, test: compileTraced(c, strict), pointer: c.pointer })))
      return (f) => {
        const children: ConditionTrace[] = new Array(index.size)
        // json-rules-engine: an empty all and an empty any are both true.
        let result = isAll || groups.length === 0
        for (const group of groups) {
          if (result !== isAll) {
            for (const c of group) children[c.i] = { kind: 'skipped', pointer: c.pointer }
            continue
          }
          // Every condition of a reached group is evaluated, as json-rules-engine does with Promise.all.
          let acc = isAll
          for (const c of group) {
            const t = c.test(f)
            children[c.i] = t
            acc = isAll ? acc && t.result : acc || t.result
          }
          result = acc
        }
        return { kind, pointer, result, children }
      }
    }
  }
}
