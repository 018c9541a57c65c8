import type { LintIssue } from './types.js'

/** The evaluated rule set references a fact the caller did not supply (json-rules-engine's UNDEFINED_FACT). */
export class UndefinedFactError extends Error {
  readonly code = 'undefined_fact'
  constructor(readonly fact: string) {
    super(`Undefined fact: ${fact}`)
    this.name = 'UndefinedFactError'
  }
}

/** A rule set failed its static checks; `errors` carries every located issue. */
export class RuleSetInvalidError extends Error {
  readonly code = 'rule_set_invalid'
  constructor(readonly errors: readonly LintIssue[]) {
    const first = errors[0]
    const where = first ? ` (first: ${first.file} ${first.rule ?? '-'} ${first.pointer}: ${first.message})` : ''
    super(`Rule set is invalid: ${errors.length} error(s)${where}`)
    this.name = 'RuleSetInvalidError'
  }
}
