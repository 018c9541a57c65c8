/**
 * The fast evaluator: IR → closures that short-circuit freely. Exact json-rules-engine error behaviour is
 * kept by prechecks: before a priority group runs, every fact json-rules-engine would look up in it is
 * checked for presence (strict mode) and every operator that can throw is run once, so a skipped
 * evaluation can never hide an error the reference would raise.
 */
import { UndefinedFactError } from './errors.js'
import { mustFacts, mustThrowers, type FactAccess, type FactNode, type IrNode } from './condition-ir.js'
import { applyPath } from './json-path.js'
import { isNumberLike } from './operators.js'
import type { Facts } from './types.js'

export type Test = (f: Facts) => boolean
type Reader = (f: Facts) => unknown

// Names an ordinary object inherits: they need an own-property test where a plain read would find the prototype.
export const INHERITED: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

/** Whether json-rules-engine would consider the fact defined (it registers every key of the facts object). */
export function hasFact(f: Facts, name: string): boolean {
  return INHERITED.has(name) ? Object.hasOwn(f, name) : name in f
}

export function readerFor(access: FactAccess): Reader {
  const { fact, steps } = access
  const raw: Reader = INHERITED.has(fact) ? (f) => (Object.hasOwn(f, fact) ? f[fact] : undefined) : (f) => f[fact]
  return steps ? (f) => applyPath(raw(f), steps) : raw
}

/** A check that throws as json-rules-engine would for these facts and operators; null when nothing to check. */
export function precheck(facts: Iterable<string>, throwers: readonly FactNode[], strict: boolean): ((f: Facts) => void) | null {
  const names = strict ? [...new Set(facts)] : []
  const plain = names.filter((n) => !INHERITED.has(n))
  const inherited = names.filter((n) => INHERITED.has(n))
  const ops = throwers.map(leafGeneric)
  if (names.length === 0 && ops.length === 0) return null
  return (f) => {
    for (let i = 0; i < plain.length; i++) if (!((plain[i] as string) in f)) throw new UndefinedFactError(plain[i] as string)
    for (const name of inherited) if (!Object.hasOwn(f, name)) throw new UndefinedFactError(name)
    for (const op of ops) op(f)
  }
}

function leafGeneric(node: FactNode): Test {
  const lhs = readerFor(node.lhs)
  const cmp = node.compare
  if (node.rhs) {
    const rhs = readerFor(node.rhs)
    return (f) => cmp(lhs(f), rhs(f))
  }
  const value = node.value
  return (f) => cmp(lhs(f), value)
}

function leafFast(node: FactNode): Test {
  if (node.rhs || node.lhs.steps || INHERITED.has(node.lhs.fact)) return leafGeneric(node)
  const name = node.lhs.fact
  const b = node.value
  switch (node.operator) {
    case 'equal': return (f) => f[name] === b
    case 'notEqual': return (f) => f[name] !== b
    case 'in':
    case 'notIn': {
      if (!Array.isArray(b)) return leafGeneric(node)
      // A static JSON array holds no NaN, so Set membership equals indexOf(a) > -1.
      const set = new Set<unknown>(b)
      return node.operator === 'in' ? (f) => set.has(f[name]) : (f) => !set.has(f[name])
    }
  }
  if (typeof b !== 'number') return leafGeneric(node)
  switch (node.operator) {
    case 'lessThan': return (f) => { const a = f[name]; return typeof a === 'number' ? a < b : isNumberLike(a) && (a as number) < b }
    case 'lessThanInclusive': return (f) => { const a = f[name]; return typeof a === 'number' ? a <= b : isNumberLike(a) && (a as number) <= b }
    case 'greaterThan': return (f) => { const a = f[name]; return typeof a === 'number' ? a > b : isNumberLike(a) && (a as number) > b }
    case 'greaterThanInclusive': return (f) => { const a = f[name]; return typeof a === 'number' ? a >= b : isNumberLike(a) && (a as number) >= b }
    default: return leafGeneric(node)
  }
}

function every(tests: Test[]): Test {
  if (tests.length === 1) return tests[0] as Test
  if (tests.length === 2) { const [a, b] = tests as [Test, Test]; return (f) => a(f) && b(f) }
  if (tests.length === 3) { const [a, b, c] = tests as [Test, Test, Test]; return (f) => a(f) && b(f) && c(f) }
  return (f) => { for (const t of tests) if (!t(f)) return false; return true }
}

function some(tests: Test[]): Test {
  if (tests.length === 1) return tests[0] as Test
  if (tests.length === 2) { const [a, b] = tests as [Test, Test]; return (f) => a(f) || b(f) }
  if (tests.length === 3) { const [a, b, c] = tests as [Test, Test, Test]; return (f) => a(f) || b(f) || c(f) }
  return (f) => { for (const t of tests) if (t(f)) return true; return false }
}

function hasErrorSource(node: IrNode, strict: boolean): boolean {
  switch (node.kind) {
    case 'fact': return strict || node.mayThrow
    case 'not': return hasErrorSource(node.child, strict)
    case 'condition': return hasErrorSource(node.resolved, strict)
    default: return node.children.some((c) => hasErrorSource(c, strict))
  }
}

/**
 * Whether json-rules-engine may raise an error inside this node that no static precheck can predict: a
 * later priority group (reached or not depending on values) holding a fact lookup or a throwing operator.
 * Such a node must be evaluated even when a sibling has already decided the result.
 */
export function needsFullEvaluation(node: IrNode, strict: boolean): boolean {
  switch (node.kind) {
    case 'fact': return false
    case 'not': return needsFullEvaluation(node.child, strict)
    case 'condition': return needsFullEvaluation(node.resolved, strict)
    default:
      return node.children.some((c) => needsFullEvaluation(c, strict)) ||
        node.groups.slice(1).some((g) => g.some((c) => hasErrorSource(c, strict)))
  }
}

function groupStage(group: IrNode[], isAll: boolean, strict: boolean): Test {
  const forced = group.filter((c) => needsFullEvaluation(c, strict)).map((c) => compileFast(c, strict))
  const rest = (isAll ? every : some)(group.filter((c) => !needsFullEvaluation(c, strict)).map((c) => compileFast(c, strict)))
  if (forced.length === 0) return rest
  const restOrNeutral = group.length === forced.length ? () => isAll : rest
  return (f) => {
    let result = isAll
    for (const t of forced) result = isAll ? t(f) && result : t(f) || result
    return result !== isAll ? result : restOrNeutral(f)
  }
}

/** Closures for a node. The caller has already run the precheck covering mustFacts/mustThrowers of this node. */
export function compileFast(node: IrNode, strict: boolean): Test {
  switch (node.kind) {
    case 'fact': return leafFast(node)
    case 'not': { const t = compileFast(node.child, strict); return (f) => !t(f) }
    case 'condition': return compileFast(node.resolved, strict)
    default: {
      if (node.children.length === 0) return () => true
      const isAll = node.kind === 'all'
      const stages = node.groups.map((group, i) => {
        const test = groupStage(group, isAll, strict)
        // The first group is covered by the caller's precheck; later groups run only when reached.
        const check = i === 0 ? null : precheck(group.flatMap((c) => [...mustFacts(c)]), group.flatMap((c) => mustThrowers(c)), strict)
        return check ? (f: Facts) => (check(f), test(f)) : test
      })
      return (isAll ? every : some)(stages)
    }
  }
}
