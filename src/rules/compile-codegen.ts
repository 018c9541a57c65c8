/**
 * Generates the fast evaluator of a whole rule set as JavaScript source, with every fact read written as a
 * literal property access (`f["entAgeMonths"]`): V8 then caches each access site on its own, where closures
 * sharing one function literal would all share (and saturate) a single cache. Measured about 3× faster than
 * the closure tree on the shipped sets. Nodes the generator does not inline (paths, fact references,
 * priority groups, decorated operators) call the closures of compile-fast.ts, which keep the exact semantics.
 * No rule text reaches the source: names and values are passed in as constants, keys as JSON string literals.
 */
import type { FactNode, IrNode } from './condition-ir.js'
import { compileFast, needsFullEvaluation, type Test } from './compile-fast.js'
import { UndefinedFactError } from './errors.js'
import { isNumberLike } from './operators.js'
import type { Facts } from './types.js'

const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype))
const RULES_PER_FUNCTION = 200

const HELPERS = {
  lt: (a: unknown, b: number) => (typeof a === 'number' ? a < b : isNumberLike(a) && (a as number) < b),
  le: (a: unknown, b: number) => (typeof a === 'number' ? a <= b : isNumberLike(a) && (a as number) <= b),
  gt: (a: unknown, b: number) => (typeof a === 'number' ? a > b : isNumberLike(a) && (a as number) > b),
  ge: (a: unknown, b: number) => (typeof a === 'number' ? a >= b : isNumberLike(a) && (a as number) >= b),
}
const NUMERIC: Record<string, keyof typeof HELPERS> = { lessThan: 'lt', lessThanInclusive: 'le', greaterThan: 'gt', greaterThanInclusive: 'ge' }

class Source {
  readonly constants: unknown[] = []
  constant(value: unknown): string {
    this.constants.push(value)
    return `k[${this.constants.length - 1}]`
  }
}

function literal(v: unknown): string | null {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0)) return String(v)
  return null
}

function leafSource(node: FactNode, src: Source, strict: boolean): string {
  const fact = node.lhs.fact
  if (node.rhs || node.lhs.steps || INHERITED.has(fact)) return `${src.constant(compileFast(node, strict))}(f)`
  const read = `f[${JSON.stringify(fact)}]`
  const value = node.value
  const lit = literal(value)
  if (node.operator === 'equal' && lit !== null) return `(${read} === ${lit})`
  if (node.operator === 'notEqual' && lit !== null) return `(${read} !== ${lit})`
  if ((node.operator === 'in' || node.operator === 'notIn') && Array.isArray(value)) {
    // A static JSON array holds no NaN, so Set membership equals indexOf(a) > -1.
    return `${node.operator === 'in' ? '' : '!'}${src.constant(new Set(value))}.has(${read})`
  }
  const helper = NUMERIC[node.operator]
  if (helper && typeof value === 'number' && lit !== null) return `h.${helper}(${read}, ${lit})`
  return `${src.constant(compileFast(node, strict))}(f)`
}

function nodeSource(node: IrNode, src: Source, strict: boolean): string {
  switch (node.kind) {
    case 'fact': return leafSource(node, src, strict)
    case 'not': return `!(${nodeSource(node.child, src, strict)})`
    case 'condition': return nodeSource(node.resolved, src, strict)
    default:
      if (node.children.length === 0) return 'true'
      if (node.groups.length > 1 || node.children.some((c) => needsFullEvaluation(c, strict))) return `${src.constant(compileFast(node, strict))}(f)`
      return `(${node.children.map((c) => nodeSource(c, src, strict)).join(node.kind === 'all' ? ' && ' : ' || ')})`
  }
}

/** Source of a presence check that throws UndefinedFactError as json-rules-engine would. */
export function presenceSource(names: Iterable<string>, src: Source): string {
  return [...new Set(names)].map((n) => {
    const key = JSON.stringify(n)
    const test = INHERITED.has(n) ? `!Object.hasOwn(f, ${key})` : `!(${key} in f)`
    return `if (${test}) throw new E(${key});`
  }).join('\n')
}

export interface GeneratedRule {
  ir: IrNode
  name: string
  event: (f: Facts) => unknown
}

export type RunRules = (f: Facts, fired: string[], events: unknown[]) => void

/**
 * One function per chunk of rules (already in evaluation order); `check` runs first (set-level prechecks).
 * Each rule's test is one generated expression.
 */
export function generateEvaluator(rules: readonly GeneratedRule[], strict: boolean, presence: Iterable<string>, throwers: readonly Test[]): RunRules {
  const chunks: RunRules[] = []
  const head = new Source()
  const headBody = `${presenceSource(presence, head)}\n${throwers.map((t) => `${head.constant(t)}(f);`).join('\n')}`
  chunks.push(new Function('k', 'h', 'E', `return function check(f) {\n${headBody}\n}`)(head.constants, HELPERS, UndefinedFactError) as RunRules)
  for (let start = 0; start < rules.length; start += RULES_PER_FUNCTION) {
    const src = new Source()
    const body = rules.slice(start, start + RULES_PER_FUNCTION).map((r) =>
      `if (${nodeSource(r.ir, src, strict)}) { fired.push(${src.constant(r.name)}); events.push(${src.constant(r.event)}(f)); }`).join('\n')
    chunks.push(new Function('k', 'h', 'E', `return function rules(f, fired, events) {\n${body}\n}`)(src.constants, HELPERS, UndefinedFactError) as RunRules)
  }
  return (f, fired, events) => {
    for (const chunk of chunks) chunk(f, fired, events)
  }
}
