/**
 * Static checks of a rule set, run at load and on every proposal. Errors make a set unusable; warnings
 * (unreachable or shadowed rules, ladder gaps and overlaps, empty groups) are for the reviewer.
 */
import { factCatalogFor, type FactCatalog } from './context-facts.js'
import { analyseRuleSet } from './lint-analysis.js'
import { isObject, lintCondition, report, isFactReference, type LintContext } from './lint-condition.js'
import { isSupportedPath } from './json-path.js'
import { RULE_SET_LIMITS, pointer, pointerToken } from './schema.js'
import { DECISION_KINDS, type LintResult, type RuleSet } from './types.js'

export interface LintOptions {
  /** Named in every issue; defaults to `<id>.json`. */
  file?: string
  /** Facts the set may use; defaults to the feature catalogue plus the set's context facts. */
  facts?: FactCatalog
  /** false: check structure, operators and references only (no fact names or value types). */
  typeCheck?: boolean
}

const ENVELOPE_KEYS = new Set(['id', 'version', 'description', 'decision', 'conditions', 'rules'])
const RULE_KEYS = new Set(['name', 'priority', 'description', 'conditions', 'event'])
const REASON_KEYS = ['reasonCode', 'reasonZh', 'reasonEn'] as const

/** Checks a parsed rule-set document; every issue names the file, the rule and a JSON pointer. */
export function lintRuleSet(input: unknown, options: LintOptions = {}): LintResult {
  const id = isObject(input) && typeof input.id === 'string' ? input.id : ''
  const ctx: LintContext = {
    file: options.file ?? `${id || 'rule-set'}.json`,
    facts: options.typeCheck === false ? null : (options.facts ?? factCatalogFor(id)),
    sharedNames: new Set(),
    errors: [],
    warnings: [],
    nodes: 0,
  }
  if (!isObject(input)) {
    report(ctx, 'error', null, '', 'schema', 'a rule set must be a JSON object')
    return { errors: ctx.errors, warnings: ctx.warnings }
  }
  lintEnvelope(ctx, input)
  const shared = isObject(input.conditions) ? input.conditions : {}
  ctx.sharedNames = new Set(Object.keys(shared))
  for (const [name, cond] of Object.entries(shared)) lintCondition(ctx, cond, pointer('conditions', name), null, true)
  lintCycles(ctx, shared)
  const rules = input.rules
  if (Array.isArray(rules)) {
    if (rules.length > RULE_SET_LIMITS.maxRules) {
      report(ctx, 'error', null, '/rules', 'limit_exceeded', `${rules.length} rules exceed the limit of ${RULE_SET_LIMITS.maxRules}`)
      return { errors: ctx.errors, warnings: ctx.warnings }
    }
    const seen = new Map<string, number>()
    rules.forEach((rule, i) => lintRule(ctx, rule, i, seen))
    if (ctx.errors.length === 0) analyseRuleSet(ctx, input as unknown as RuleSet)
  }
  return { errors: ctx.errors, warnings: ctx.warnings }
}

function lintEnvelope(ctx: LintContext, input: Record<string, unknown>): void {
  for (const key of Object.keys(input)) {
    if (!ENVELOPE_KEYS.has(key)) report(ctx, 'error', null, pointer(key), 'schema', `unknown property "${key}" in the rule-set envelope`)
  }
  if (typeof input.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(input.id)) {
    report(ctx, 'error', null, '/id', 'schema', '"id" must be a kebab-case string')
  }
  for (const key of ['version', 'description'] as const) {
    if (typeof input[key] !== 'string' || (key === 'version' && input[key] === '')) {
      report(ctx, 'error', null, pointer(key), 'schema', `"${key}" must be a ${key === 'version' ? 'non-empty ' : ''}string`)
    }
  }
  if (!DECISION_KINDS.includes(input.decision as never)) {
    report(ctx, 'error', null, '/decision', 'schema', `"decision" must be one of ${DECISION_KINDS.join(', ')}`)
  }
  if (!Array.isArray(input.rules)) report(ctx, 'error', null, '/rules', 'schema', '"rules" must be an array')
  if (Object.hasOwn(input, 'conditions')) {
    if (!isObject(input.conditions)) report(ctx, 'error', null, '/conditions', 'schema', '"conditions" must be an object of named conditions')
    else if (Object.keys(input.conditions).length > RULE_SET_LIMITS.maxSharedConditions) {
      report(ctx, 'error', null, '/conditions', 'limit_exceeded', `more than ${RULE_SET_LIMITS.maxSharedConditions} shared conditions`)
    }
  }
}

function lintRule(ctx: LintContext, rule: unknown, i: number, seen: Map<string, number>): void {
  const at = `/rules/${i}`
  if (!isObject(rule)) {
    report(ctx, 'error', null, at, 'schema', 'a rule must be an object')
    return
  }
  const name = typeof rule.name === 'string' && rule.name !== '' ? rule.name : null
  if (name === null) report(ctx, 'error', null, `${at}/name`, 'schema', 'a rule needs a non-empty string "name"')
  else if (seen.has(name)) report(ctx, 'error', name, `${at}/name`, 'duplicate_name', `rule name "${name}" is also used by /rules/${seen.get(name)}`)
  else seen.set(name, i)
  for (const key of Object.keys(rule)) {
    if (!RULE_KEYS.has(key)) report(ctx, 'error', name, `${at}/${pointerToken(key)}`, 'schema', `unknown property "${key}" in a rule`)
  }
  if (Object.hasOwn(rule, 'priority') && !(typeof rule.priority === 'number' && Number.isInteger(rule.priority) && rule.priority >= 1)) {
    report(ctx, 'error', name, `${at}/priority`, 'schema', 'rule priority must be an integer ≥ 1')
  }
  if (Object.hasOwn(rule, 'description') && typeof rule.description !== 'string') {
    report(ctx, 'error', name, `${at}/description`, 'schema', '"description" must be a string')
  }
  if (!Object.hasOwn(rule, 'conditions')) report(ctx, 'error', name, at, 'schema', 'a rule needs "conditions"')
  else lintCondition(ctx, rule.conditions, `${at}/conditions`, name, true)
  lintEvent(ctx, rule.event, `${at}/event`, name)
}

function lintEvent(ctx: LintContext, event: unknown, at: string, name: string | null): void {
  if (!isObject(event)) {
    report(ctx, 'error', name, at, 'schema', 'a rule needs an "event" object')
    return
  }
  for (const key of Object.keys(event)) {
    if (key !== 'type' && key !== 'params') report(ctx, 'error', name, `${at}/${pointerToken(key)}`, 'schema', `unknown property "${key}" in an event`)
  }
  if (typeof event.type !== 'string' || event.type === '') report(ctx, 'error', name, `${at}/type`, 'schema', 'event "type" must be a non-empty string')
  if (!isObject(event.params)) {
    report(ctx, 'error', name, `${at}/params`, 'reason_code', 'event "params" must be an object with reasonCode, reasonZh and reasonEn')
    return
  }
  const params = event.params
  for (const key of REASON_KEYS) {
    if (typeof params[key] !== 'string' || params[key] === '') {
      report(ctx, 'error', name, `${at}/params/${key}`, 'reason_code', `event params need a non-empty string "${key}"`)
    }
  }
  for (const [key, value] of Object.entries(params)) {
    if (!isFactReference(value)) continue
    const ptr = `${at}/params/${pointerToken(key)}`
    if (typeof value.fact !== 'string' || value.fact === '') report(ctx, 'error', name, `${ptr}/fact`, 'schema', '"fact" must be a non-empty string')
    else if (ctx.facts && !ctx.facts.has(value.fact)) report(ctx, 'error', name, `${ptr}/fact`, 'unknown_fact', `fact "${value.fact}" is not known to this set`)
    if (value.path !== undefined && (typeof value.path !== 'string' || !isSupportedPath(value.path))) {
      report(ctx, 'error', name, `${ptr}/path`, 'unsupported_path', `path ${JSON.stringify(value.path)} is not supported`)
    }
  }
}

/** Names of shared conditions referenced anywhere under a node. */
export function referencedConditions(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) node.forEach((c) => referencedConditions(c, out))
  else if (isObject(node)) {
    if (typeof node.condition === 'string') out.add(node.condition)
    for (const key of ['all', 'any', 'not'] as const) if (Object.hasOwn(node, key)) referencedConditions(node[key], out)
  }
  return out
}

function lintCycles(ctx: LintContext, shared: Record<string, unknown>): void {
  const edges = new Map(Object.entries(shared).map(([name, c]) => [name, [...referencedConditions(c)]]))
  const state = new Map<string, 'visiting' | 'done'>()
  const onCycle = new Set<string>()
  const visit = (name: string, stack: string[]): void => {
    if (state.get(name) === 'done') return
    if (state.get(name) === 'visiting') {
      stack.slice(stack.indexOf(name)).forEach((n) => onCycle.add(n))
      return
    }
    state.set(name, 'visiting')
    for (const next of edges.get(name) ?? []) if (edges.has(next)) visit(next, [...stack, name])
    state.set(name, 'done')
  }
  for (const name of edges.keys()) visit(name, [])
  for (const name of onCycle) {
    report(ctx, 'error', null, pointer('conditions', name), 'condition_cycle', `shared condition "${name}" refers to itself through condition references`)
  }
}
