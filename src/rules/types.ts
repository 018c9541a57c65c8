/**
 * Rule-set shapes: the json-rules-engine rule format inside our envelope. Types only; the JSON Schema is in
 * schema.ts and the checks that go beyond shape are in lint.ts.
 */
export type DecisionKind = 'first-decline' | 'collect' | 'score'
export const DECISION_KINDS: readonly DecisionKind[] = ['first-decline', 'collect', 'score']

/** `{fact, path?, params?}` used as a condition value or an event param: replaced by the fact's value. */
export interface FactReference {
  fact: string
  path?: string
  params?: Record<string, unknown>
}

interface ConditionCommon {
  /** Evaluation order inside an all/any (higher first); json-rules-engine short-circuits between priorities. */
  priority?: number
  name?: string
}
export interface FactCondition extends ConditionCommon {
  fact: string
  operator: string
  value: unknown
  path?: string
  params?: Record<string, unknown>
}
export interface AllCondition extends ConditionCommon { all: Condition[] }
export interface AnyCondition extends ConditionCommon { any: Condition[] }
export interface NotCondition extends ConditionCommon { not: Condition }
export interface ConditionReference extends ConditionCommon { condition: string }

export type TopLevelCondition = AllCondition | AnyCondition | NotCondition | ConditionReference
export type Condition = TopLevelCondition | FactCondition

export interface RuleEvent {
  type: string
  params?: Record<string, unknown>
}

export interface Rule {
  name: string
  priority?: number
  description?: string
  conditions: TopLevelCondition
  event: RuleEvent
}

export interface RuleSet {
  id: string
  version: string
  description: string
  decision: DecisionKind
  /** Shared named conditions (json-rules-engine's engine.setCondition), referenced by `{condition: name}`. */
  conditions?: Record<string, TopLevelCondition>
  rules: Rule[]
}

export type Facts = Readonly<Record<string, unknown>>

export interface LintIssue {
  file: string
  /** The rule's name, or null when the issue is about the envelope or a shared condition. */
  rule: string | null
  /** RFC 6901 JSON pointer into the rule-set document. */
  pointer: string
  code: string
  message: string
}

export interface LintResult {
  errors: LintIssue[]
  warnings: LintIssue[]
}
