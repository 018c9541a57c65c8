/**
 * Checks one condition tree: shape (json-rules-engine's constructor rules, made strict), facts, operators,
 * paths and value types. Findings go into the shared LintContext with their JSON pointer.
 */
import type { FactCatalog, FactSpec } from './context-facts.js'
import { isSupportedPath } from './json-path.js'
import { NUMERIC_OPERATORS, resolveOperator } from './operators.js'
import { RULE_SET_LIMITS, pointerToken } from './schema.js'
import type { LintIssue } from './types.js'

export type ConditionKind = 'all' | 'any' | 'not' | 'condition' | 'fact'

export interface LintContext {
  file: string
  /** null: skip fact-name and type checks (used for generated sets in tests). */
  facts: FactCatalog | null
  sharedNames: ReadonlySet<string>
  errors: LintIssue[]
  warnings: LintIssue[]
  nodes: number
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The kind json-rules-engine would give this object (it tests any, then all, then not, then condition). */
export function conditionKind(node: Record<string, unknown>): ConditionKind {
  for (const k of ['any', 'all', 'not', 'condition'] as const) if (Object.hasOwn(node, k)) return k
  return 'fact'
}

export function isFactReference(v: unknown): v is { fact: string; path?: string } {
  return isObject(v) && Object.hasOwn(v, 'fact')
}

export function report(ctx: LintContext, level: 'error' | 'warning', rule: string | null, ptr: string, code: string, message: string): void {
  ;(level === 'error' ? ctx.errors : ctx.warnings).push({ file: ctx.file, rule, pointer: ptr, code, message })
}

const KEYS: Record<ConditionKind, ReadonlySet<string>> = {
  all: new Set(['all', 'priority', 'name']),
  any: new Set(['any', 'priority', 'name']),
  not: new Set(['not', 'priority', 'name']),
  condition: new Set(['condition', 'priority', 'name']),
  fact: new Set(['fact', 'operator', 'value', 'path', 'params', 'priority', 'name']),
}

function isPositiveInteger(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1
}

/** Walks a condition; `topLevel` conditions must be all/any/not/condition, as json-rules-engine requires. */
export function lintCondition(ctx: LintContext, node: unknown, ptr: string, rule: string | null, topLevel: boolean, depth = 0): void {
  if (++ctx.nodes > RULE_SET_LIMITS.maxConditionNodes) {
    if (ctx.nodes === RULE_SET_LIMITS.maxConditionNodes + 1) {
      report(ctx, 'error', rule, ptr, 'limit_exceeded', `more than ${RULE_SET_LIMITS.maxConditionNodes} conditions in the set`)
    }
    return
  }
  if (depth > RULE_SET_LIMITS.maxConditionDepth) {
    report(ctx, 'error', rule, ptr, 'limit_exceeded', `conditions nested deeper than ${RULE_SET_LIMITS.maxConditionDepth}`)
    return
  }
  if (!isObject(node)) {
    report(ctx, 'error', rule, ptr, 'schema', 'a condition must be an object')
    return
  }
  const kinds = (['any', 'all', 'not', 'condition', 'fact'] as const).filter((k) => Object.hasOwn(node, k))
  if (kinds.length > 1) {
    report(ctx, 'error', rule, ptr, 'schema', `a condition has exactly one of all/any/not/condition/fact; found ${kinds.join(', ')}`)
    return
  }
  const kind = conditionKind(node)
  if (topLevel && kind === 'fact') {
    report(ctx, 'error', rule, ptr, 'schema', 'the root of "conditions" must be all, any, not or condition')
    return
  }
  for (const key of Object.keys(node)) {
    if (!KEYS[kind].has(key)) report(ctx, 'error', rule, `${ptr}/${pointerToken(key)}`, 'schema', `unknown property "${key}" in a ${kind} condition`)
  }
  if (Object.hasOwn(node, 'priority') && !isPositiveInteger(node.priority)) {
    report(ctx, 'error', rule, `${ptr}/priority`, 'schema', 'condition priority must be an integer ≥ 1')
  }
  if (Object.hasOwn(node, 'name') && typeof node.name !== 'string') {
    report(ctx, 'error', rule, `${ptr}/name`, 'schema', 'condition name must be a string')
  }
  if (kind === 'all' || kind === 'any') {
    const children = node[kind]
    if (!Array.isArray(children)) {
      report(ctx, 'error', rule, `${ptr}/${kind}`, 'schema', `"${kind}" must be an array`)
      return
    }
    if (children.length === 0) {
      const what = kind === 'any' ? 'always true (json-rules-engine treats an empty "any" as true)' : 'always true'
      report(ctx, 'warning', rule, `${ptr}/${kind}`, 'empty_group', `empty "${kind}" is ${what}`)
    }
    children.forEach((c, i) => lintCondition(ctx, c, `${ptr}/${kind}/${i}`, rule, false, depth + 1))
  } else if (kind === 'not') {
    if (Array.isArray(node.not)) report(ctx, 'error', rule, `${ptr}/not`, 'schema', '"not" takes one condition, not an array')
    else lintCondition(ctx, node.not, `${ptr}/not`, rule, false, depth + 1)
  } else if (kind === 'condition') {
    if (typeof node.condition !== 'string' || !ctx.sharedNames.has(node.condition)) {
      report(ctx, 'error', rule, `${ptr}/condition`, 'unknown_condition', `no shared condition named ${JSON.stringify(node.condition)}`)
    }
  } else {
    lintFactCondition(ctx, node, ptr, rule)
  }
}

function lintFactCondition(ctx: LintContext, node: Record<string, unknown>, ptr: string, rule: string | null): void {
  for (const key of ['operator', 'value'] as const) {
    if (!Object.hasOwn(node, key)) report(ctx, 'error', rule, ptr, 'schema', `a fact condition needs "${key}"`)
  }
  const op = node.operator
  if (typeof op !== 'string' || resolveOperator(op) === null) {
    report(ctx, 'error', rule, `${ptr}/operator`, 'unknown_operator', `unknown operator ${JSON.stringify(op)}`)
  }
  if (Object.hasOwn(node, 'params') && !isObject(node.params)) report(ctx, 'error', rule, `${ptr}/params`, 'schema', '"params" must be an object')
  const spec = lintFactName(ctx, node.fact, node.path, ptr, rule)
  const value = node.value
  let rhs: FactSpec | null | undefined
  if (isFactReference(value)) {
    rhs = lintFactName(ctx, value.fact, value.path, `${ptr}/value`, rule)
    for (const key of Object.keys(value)) {
      if (!['fact', 'path', 'params'].includes(key)) report(ctx, 'error', rule, `${ptr}/value/${pointerToken(key)}`, 'schema', `unknown property "${key}" in a fact reference`)
    }
  }
  if (!ctx.facts || typeof op !== 'string' || !spec || Object.hasOwn(node, 'path')) return
  if (op.includes(':')) {
    report(ctx, 'warning', rule, `${ptr}/operator`, 'unchecked_operator', `decorated operator "${op}": value types are not checked`)
    return
  }
  if (rhs !== undefined) {
    if (rhs && !(isFactReference(value) && value.path !== undefined) && NUMERIC_OPERATORS.has(op) && (spec.type !== 'number' || rhs.type !== 'number')) {
      report(ctx, 'error', rule, `${ptr}/value`, 'value_type', `${op} compares numbers; ${spec.name} is ${spec.type}, ${rhs.name} is ${rhs.type}`)
    }
    return
  }
  checkValueType(ctx, spec, op, value, ptr, rule)
}

function lintFactName(ctx: LintContext, fact: unknown, path: unknown, ptr: string, rule: string | null): FactSpec | null {
  if (typeof fact !== 'string' || fact.length === 0) {
    report(ctx, 'error', rule, `${ptr}/fact`, 'schema', '"fact" must be a non-empty string')
    return null
  }
  if (path !== undefined && (typeof path !== 'string' || !isSupportedPath(path))) {
    report(ctx, 'error', rule, `${ptr}/path`, 'unsupported_path', `path ${JSON.stringify(path)} is not of the supported forms $.a.b or $.a[0]`)
  }
  if (!ctx.facts) return null
  const spec = ctx.facts.get(fact)
  if (!spec) {
    report(ctx, 'error', rule, `${ptr}/fact`, 'unknown_fact', `fact "${fact}" is neither in the feature catalogue nor a context fact of this set`)
    return null
  }
  if (path !== undefined && spec.type !== 'object' && spec.type !== 'array') {
    report(ctx, 'error', rule, `${ptr}/path`, 'path_on_scalar', `path on ${spec.type} fact "${fact}" (json-rules-engine ignores it)`)
  }
  return spec
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v
}

function scalarMatches(spec: FactSpec, v: unknown): string | null {
  if (v === null) return null
  switch (spec.type) {
    case 'number': return typeof v === 'number' && Number.isFinite(v) ? null : `a finite number, not ${describe(v)}`
    case 'boolean': return typeof v === 'boolean' ? null : `a boolean, not ${describe(v)}`
    case 'string': return typeof v === 'string' ? null : `a string, not ${describe(v)}`
    case 'category':
      if (typeof v !== 'string') return `one of its categories, not ${describe(v)}`
      return spec.categories && !spec.categories.includes(v) ? `one of ${spec.categories.join('/')}, not "${v}"` : null
    default: return null
  }
}

function checkValueType(ctx: LintContext, spec: FactSpec, op: string, value: unknown, ptr: string, rule: string | null): void {
  const at = `${ptr}/value`
  if (NUMERIC_OPERATORS.has(op)) {
    if (spec.type !== 'number') report(ctx, 'error', rule, `${ptr}/operator`, 'operator_type', `${op} needs a number fact; "${spec.name}" is ${spec.type}`)
    else if (typeof value !== 'number' || !Number.isFinite(value)) report(ctx, 'error', rule, at, 'value_type', `${op} needs a finite number, not ${describe(value)}`)
  } else if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value)) {
      report(ctx, 'error', rule, at, 'value_type', `${op} needs an array value (json-rules-engine would search a string or throw)`)
      return
    }
    value.forEach((v, i) => {
      const problem = scalarMatches(spec, v)
      if (problem) report(ctx, 'error', rule, `${at}/${i}`, 'value_type', `"${spec.name}" values are ${problem}`)
    })
  } else if (op === 'contains' || op === 'doesNotContain') {
    if (spec.type !== 'array') report(ctx, 'error', rule, `${ptr}/operator`, 'operator_type', `${op} needs an array fact; "${spec.name}" is ${spec.type}`)
  } else {
    const problem = scalarMatches(spec, value)
    if (problem) report(ctx, 'error', rule, at, 'value_type', `"${spec.name}" values are ${problem}`)
  }
}
