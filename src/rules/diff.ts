/** A readable diff between two versions of a rule set: rules added, removed and changed (field by field). */
import { canonicalJson } from './hash.js'
import type { Rule, RuleSet } from './types.js'

export interface RuleChange {
  name: string
  fields: { field: string; before: unknown; after: unknown }[]
}

export interface RuleSetDiff {
  envelope: { field: string; before: unknown; after: unknown }[]
  added: string[]
  removed: string[]
  changed: RuleChange[]
}

const RULE_FIELDS = ['priority', 'description', 'conditions', 'event'] as const

export function diffRuleSets(before: RuleSet, after: RuleSet): RuleSetDiff {
  const envelope = (['id', 'version', 'description', 'decision', 'conditions'] as const)
    .filter((f) => canonicalJson(before[f]) !== canonicalJson(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field] }))
  const old = new Map(before.rules.map((r) => [r.name, r]))
  const now = new Map(after.rules.map((r) => [r.name, r]))
  const changed: RuleChange[] = []
  for (const [name, rule] of now) {
    const prev = old.get(name)
    if (!prev) continue
    const fields = RULE_FIELDS.filter((f) => canonicalJson(prev[f] ?? null) !== canonicalJson(rule[f] ?? null))
      .map((field) => ({ field, before: (prev as Rule)[field], after: rule[field] }))
    if (fields.length > 0) changed.push({ name, fields })
  }
  return {
    envelope,
    added: [...now.keys()].filter((n) => !old.has(n)),
    removed: [...old.keys()].filter((n) => !now.has(n)),
    changed,
  }
}

export function formatDiff(diff: RuleSetDiff, beforeLabel: string, afterLabel: string): string {
  const lines = [`--- ${beforeLabel}`, `+++ ${afterLabel}`]
  for (const e of diff.envelope) lines.push(`~ ${e.field}: ${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}`)
  for (const n of diff.removed) lines.push(`- rule ${n}`)
  for (const n of diff.added) lines.push(`+ rule ${n}`)
  for (const c of diff.changed) {
    lines.push(`~ rule ${c.name}`)
    for (const f of c.fields) {
      lines.push(`    - ${f.field}: ${JSON.stringify(f.before)}`)
      lines.push(`    + ${f.field}: ${JSON.stringify(f.after)}`)
    }
  }
  if (lines.length === 2) lines.push('(no differences)')
  return lines.join('\n')
}
