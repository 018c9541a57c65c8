/**
 * Compiles a rule set once into closures and evaluates it synchronously on a plain facts object, with
 * json-rules-engine 7's semantics configured as we ship it:
 *   new Engine(rules, { allowUndefinedFacts: false, replaceFactsInEventParams: true })
 * plus each shared condition registered with engine.setCondition.
 *
 * Undefined-fact policy (shipped: allowUndefinedFacts false): a fact the set looks up must be a key of the
 * facts object, otherwise evaluation throws UndefinedFactError — a gathering bug must not quietly pass
 * admission. A key whose value is undefined or null is defined and goes through the operators.
 *
 * Order: rules run by priority, highest first; within one priority, in declaration order. json-rules-engine
 * runs a priority group in parallel and lists its results in the order their promises settle (which depends
 * on how deep each rule's conditions are); the set of rules fired per priority group is the same, and our
 * order within a group is deterministic. Every rule is evaluated: no priority stops lower ones.
 */
import { mustFacts, mustThrowers, factAccess, IrBuilder, type FactNode, type IrNode } from './condition-ir.js'
import { compileFast, precheck, readerFor, type Test } from './compile-fast.js'
import { generateEvaluator, type RunRules } from './compile-codegen.js'
import { decide, reasonOf, type Decision, type FiredEvent, type Reason } from './decision.js'
import { RuleSetInvalidError } from './errors.js'
import { hashRuleSet } from './hash.js'
import { isFactReference } from './lint-condition.js'
import { lintRuleSet, type LintOptions } from './lint.js'
import { compileTraced, type RuleTrace, type TracedTest } from './trace.js'
import type { Condition, DecisionKind, Facts, LintIssue, RuleSet } from './types.js'

export interface CompileOptions extends LintOptions {
  /** json-rules-engine's option of the same name; we ship false. */
  allowUndefinedFacts?: boolean
  /** false: evaluate with the closure tree only, no generated code (both are checked against the reference). */
  codegen?: boolean
}

export interface EvaluateOptions {
  trace?: boolean
}

export interface Evaluation {
  /** Names of the rules that fired, in evaluation order. */
  fired: string[]
  events: FiredEvent[]
  outcome: string
  decision: Decision
  trace?: RuleTrace[]
}

export interface CompiledRuleSet {
  readonly id: string
  readonly version: string
  readonly decision: DecisionKind
  /** sha256 of the set's canonical JSON. */
  readonly hash: string
  readonly ruleCount: number
  /** Every fact the set may look up; with allowUndefinedFacts false each must be a key of the facts object. */
  readonly facts: readonly string[]
  readonly allowUndefinedFacts: boolean
  readonly warnings: readonly LintIssue[]
  evaluate(facts: Facts, options?: EvaluateOptions): Evaluation
}

interface CompiledRule {
  name: string
  priority: number
  ir: IrNode
  /** The event when no param references a fact: one frozen object for every firing, with its reason. */
  fixed: { event: FiredEvent; reason: Reason } | null
  event: (f: Facts) => FiredEvent
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/**
 * The same string, internalized: V8 compares two internalized strings by identity and any others character
 * by character, and the strings of a structuredClone copy are not internalized (property keys always are).
 * Used for the decision kind and the event types, which decide() compares on every evaluation.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0] as string
}

/** A rule's event: fixed (and its reason built once) unless a param references a fact. */
function eventOf(event: RuleSet['rules'][number]['event'], paramFacts: Set<string>): Pick<CompiledRule, 'fixed' | 'event'> {
  const params = event.params
  const type = internalized(event.type)
  const constant = (e: FiredEvent) => ({ fixed: { event: e, reason: reasonOf(e) }, event: () => e })
  if (!params) return constant(deepFreeze({ type }))
  const entries = Object.keys(params).map((key) => {
    const v = params[key]
    if (!isFactReference(v)) return { key, value: deepFreeze(v), read: null }
    paramFacts.add(v.fact)
    return { key, value: undefined, read: readerFor(factAccess(v)) }
  })
  if (entries.every((e) => e.read === null)) return constant(deepFreeze({ type, params }))
  return {
    fixed: null,
    event: (f) => {
      const out: Record<string, unknown> = {}
      for (const e of entries) out[e.key] = e.read ? e.read(f) : e.value
      return { type, params: out }
    },
  }
}

/** Records a firing: the rule's name, its event and the event's reason. */
function fire(rule: CompiledRule, f: Facts, fired: string[], events: FiredEvent[], reasons: Reason[]): void {
  fired.push(rule.name)
  if (rule.fixed) {
    events.push(rule.fixed.event)
    reasons.push(rule.fixed.reason)
  } else {
    const e = rule.event(f)
    events.push(e)
    reasons.push(reasonOf(e))
  }
}

function collectFacts(node: IrNode, out: Set<string>): void {
  if (node.kind === 'fact') {
    out.add(node.lhs.fact)
    if (node.rhs) out.add(node.rhs.fact)
  } else if (node.kind === 'not') collectFacts(node.child, out)
  else if (node.kind === 'condition') collectFacts(node.resolved, out)
  else node.children.forEach((c) => collectFacts(c, out))
}

function closureEvaluator(rules: readonly CompiledRule[], setCheck: ((f: Facts) => void) | null, strict: boolean): RunRules {
  const tests = rules.map((r) => compileFast(r.ir, strict))
  return (facts, fired, events, reasons) => {
    if (setCheck) setCheck(facts)
    for (let i = 0; i < rules.length; i++) {
      if ((tests[i] as Test)(facts)) fire(rules[i] as CompiledRule, facts, fired, events, reasons)
    }
  }
}

function precheckThrowers(throwers: readonly FactNode[], strict: boolean): Test[] {
  const check = precheck([], throwers, strict)
  return check ? [(f: Facts) => (check(f), true)] : []
}

/** Lints (throwing RuleSetInvalidError on any error) and compiles a rule set. */
export function compileRuleSet(input: unknown, options: CompileOptions = {}): CompiledRuleSet {
  const lint = lintRuleSet(input, options)
  if (lint.errors.length > 0) throw new RuleSetInvalidError(lint.errors)
  // Our own copy: later changes to the caller's object cannot reach a compiled set, and no condition value
  // shares identity with a fact value (json-rules-engine clones conditions on every run, so `equal` never does).
  const set = structuredClone(input) as RuleSet
  const strict = options.allowUndefinedFacts !== true
  const builder = new IrBuilder((set.conditions ?? {}) as Record<string, Condition>)
  const rootFacts = new Set<string>()
  const paramFacts = new Set<string>()
  const allFacts = new Set<string>()
  const rootThrowers: FactNode[] = []
  const rules: CompiledRule[] = set.rules.map((rule, i) => {
    const ir = builder.build(rule.conditions, `/rules/${i}/conditions`)
    mustFacts(ir, rootFacts)
    mustThrowers(ir, rootThrowers)
    collectFacts(ir, allFacts)
    return {
      name: rule.name,
      priority: rule.priority ?? 1,
      ir,
      ...eventOf(rule.event, paramFacts),
    }
  })
  // Stable sort: declaration order within a priority.
  const ordered = rules.map((r, i) => ({ r, i })).sort((a, b) => b.r.priority - a.r.priority || a.i - b.i).map(({ r }) => r)
  // json-rules-engine evaluates every rule's first condition group and resolves every rule's event params.
  const setCheck = precheck([...rootFacts, ...paramFacts], rootThrowers, strict)
  const paramCheck = precheck(paramFacts, [], strict)
  for (const f of paramFacts) allFacts.add(f)
  const kind = internalized(set.decision) as DecisionKind
  const run: RunRules = options.codegen === false
    ? closureEvaluator(ordered, setCheck, strict)
    : generateEvaluator(ordered, strict, strict ? [...rootFacts, ...paramFacts] : [], precheckThrowers(rootThrowers, strict))

  function evaluateFast(facts: Facts): Evaluation {
    const fired: string[] = []
    const events: FiredEvent[] = []
    const reasons: Reason[] = []
    run(facts, fired, events, reasons)
    return result(fired, events, reasons, facts)
  }

  let traced: TracedTest[] | undefined
  function evaluateTraced(facts: Facts): Evaluation {
    const fired: string[] = []
    const events: FiredEvent[] = []
    const reasons: Reason[] = []
    const trace: RuleTrace[] = []
    // Traced closures are built on the first traced evaluation: most sets are never traced.
    traced ??= ordered.map((r) => compileTraced(r.ir, strict))
    for (let i = 0; i < ordered.length; i++) {
      const rule = ordered[i] as CompiledRule
      const conditions = (traced[i] as TracedTest)(facts)
      trace.push({ name: rule.name, priority: rule.priority, fired: conditions.result, conditions })
      if (conditions.result) fire(rule, facts, fired, events, reasons)
    }
    if (paramCheck) paramCheck(facts)
    const r = result(fired, events, reasons, facts)
    return { fired: r.fired, events: r.events, outcome: r.outcome, decision: r.decision, trace }
  }

  function result(fired: string[], events: FiredEvent[], reasons: Reason[], facts: Facts): Evaluation {
    const decision = decide(kind, events, facts, reasons)
    return { fired, events, outcome: decision.outcome, decision }
  }

  return Object.freeze({
    id: set.id,
    version: set.version,
    decision: kind,
    hash: hashRuleSet(set),
    ruleCount: rules.length,
    facts: Object.freeze([...allFacts].sort()),
    allowUndefinedFacts: !strict,
    warnings: Object.freeze(lint.warnings),
    evaluate: (facts: Facts, opts?: EvaluateOptions) => (opts?.trace ? evaluateTraced(facts) : evaluateFast(facts)),
  })
}
