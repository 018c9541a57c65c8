/**
 * Rules command line.
 *   tsx src/cli/rules.ts lint <file>            every error and warning with file, rule and JSON pointer
 *   tsx src/cli/rules.ts test <file>            runs rules/tests/<id>.cases.json against the file
 *   tsx src/cli/rules.ts diff <file> [<other>]  readable diff against <other> or the shipped rules/<id>.json
 * Exit code 0 when clean, 1 on errors or failed cases, 2 on usage errors.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { runCases, type RuleCases } from '../rules/case-runner.js'
import { compileRuleSet, diffRuleSets, formatDiff, loadRuleSetFile, SHIPPED_RULES_DIR, type LintIssue, type LoadedRuleSet } from '../rules/index.js'


const print = (issue: LintIssue, level: string) => console.log(`${issue.file}: ${level} ${issue.code} rule=${issue.rule ?? '-'} ${issue.pointer || '/'}: ${issue.message}`)

function load(file: string): LoadedRuleSet {
  const loaded = loadRuleSetFile(file)
  loaded.errors.forEach((e) => print(e, 'error'))
  return loaded
}

function lint(file: string): number {
  const loaded = load(file)
  loaded.warnings.forEach((w) => print(w, 'warning'))
  console.log(`${file}: ${loaded.errors.length} error(s), ${loaded.warnings.length} warning(s)`)
  return loaded.errors.length > 0 ? 1 : 0
}

function casesFor(file: string, id: string): string | null {
  for (const dir of [join(dirname(file), 'tests'), join(SHIPPED_RULES_DIR, 'tests')]) {
    const path = join(dir, `${id}.cases.json`)
    if (existsSync(path)) return path
  }
  return null
}

function test(file: string): number {
  const { ruleSet } = load(file)
  if (!ruleSet) return 1
  const path = casesFor(file, ruleSet.id)
  if (!path) {
    console.log(`${file}: no cases file tests/${ruleSet.id}.cases.json`)
    return 1
  }
  const compiled = compileRuleSet(ruleSet, { file })
  const cases = JSON.parse(readFileSync(path, 'utf8')) as RuleCases
  const failures = runCases(compiled, cases)
  const failedCases = new Set(failures.map((f) => f.index))
  cases.cases.forEach((c, i) => {
    const problems = failures.filter((f) => f.index === i).map((f) => f.message)
    console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${c.name}${problems.length ? ': ' + problems.join('; ') : ''}`)
  })
  const failed = failedCases.size
  console.log(`${path}: ${cases.cases.length - failed} passed, ${failed} failed`)
  return failed > 0 ? 1 : 0
}

function diff(file: string, other?: string): number {
  const after = load(file)
  if (!after.ruleSet) return 1
  const beforePath = other ?? join(SHIPPED_RULES_DIR, `${after.ruleSet.id}.json`)
  const before = load(beforePath)
  if (!before.ruleSet) return 1
  console.log(formatDiff(diffRuleSets(before.ruleSet, after.ruleSet), beforePath, file))
  return 0
}

const [command, file, other] = process.argv.slice(2)
const commands: Record<string, () => number> = { lint: () => lint(file!), test: () => test(file!), diff: () => diff(file!, other) }
if (!command || !file || !commands[command]) {
  console.error('usage: tsx src/cli/rules.ts lint|test|diff <file> [<other file>]')
  process.exit(2)
}
process.exit(commands[command]!())
