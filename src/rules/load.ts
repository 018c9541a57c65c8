/**
 * Reads rule-set files and lints them; every error carries the file it came from. The only module of the
 * rules domain that touches the file system.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lintRuleSet, type LintOptions } from './lint.js'
import type { LintIssue, RuleSet } from './types.js'

export interface LoadedRuleSet {
  file: string
  /** The parsed set; null when the file is not valid JSON or has lint errors. */
  ruleSet: RuleSet | null
  errors: LintIssue[]
  warnings: LintIssue[]
}

/** The repository's rules/ directory. */
export const SHIPPED_RULES_DIR = resolve(fileURLToPath(new URL('../../rules', import.meta.url)))

export function parseRuleSetText(text: string, file: string, options: Omit<LintOptions, 'file'> = {}): LoadedRuleSet {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { file, ruleSet: null, errors: [{ file, rule: null, pointer: '', code: 'invalid_json', message }], warnings: [] }
  }
  const { errors, warnings } = lintRuleSet(doc, { ...options, file })
  return { file, ruleSet: errors.length === 0 ? (doc as RuleSet) : null, errors, warnings }
}

export function loadRuleSetFile(path: string, options: Omit<LintOptions, 'file'> = {}): LoadedRuleSet {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return { file: path, ruleSet: null, errors: [{ file: path, rule: null, pointer: '', code: 'unreadable', message }], warnings: [] }
  }
  const loaded = parseRuleSetText(text, path, options)
  const id = loaded.ruleSet?.id
  if (id !== undefined && basename(path) !== `${id}.json`) {
    loaded.warnings.push({ file: path, rule: null, pointer: '/id', code: 'file_name', message: `set "${id}" is not in ${id}.json` })
  }
  return loaded
}

/** Every `*.json` directly in `dir` (the cases under tests/ are not rule sets), sorted by file name. */
export function loadShippedRuleSets(dir: string = SHIPPED_RULES_DIR): LoadedRuleSet[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadRuleSetFile(join(dir, f)))
}
