import { watch, type FSWatcher } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/database.js'
import { appendAudit } from '../audit/audit.repository.js'
import { loadCases, runCases } from './case-runner.js'
import { compileRuleSet } from './compile.js'
import { loadRuleSetFile, loadShippedRuleSets } from './load.js'
import * as repo from './rules.repository.js'
import type { Logger, RulesService } from './rules.service.js'

export interface FileSyncResult { file: string; outcome: 'unchanged' | 'proposed' | 'activated' | 'invalid' | 'conflict'; version?: string }

/**
 * Brings rule files into the lifecycle: a file whose content differs from the active version is proposed and,
 * with file activation on, activated. An invalid file (lint errors or failing cases) is logged with every
 * error and changes nothing that is serving.
 */
export async function syncRuleFile(
  db: Db, rules: RulesService, path: string, options: { activate: boolean; log: Logger },
): Promise<FileSyncResult> {
  const file = path
  const loaded = loadRuleSetFile(path)
  if (!loaded.ruleSet) {
    options.log.error({ file, errors: loaded.errors }, `rule file ${file} is invalid (${loaded.errors.length} error(s)); the active version keeps serving`)
    return { file, outcome: 'invalid' }
  }
  const compiled = compileRuleSet(loaded.ruleSet, { file })
  const cases = loadCases(join(path, '..'), compiled.id)
  const failures = cases ? runCases(compiled, cases) : []
  if (failures.length > 0) {
    options.log.error({ file, failures }, `rule file ${file} fails ${failures.length} of its test case(s); the active version keeps serving`)
    return { file, outcome: 'invalid' }
  }
  const actor = `file:${file.split('/').slice(-2).join('/')}`
  const outcome = await db.transaction().execute(async (trx): Promise<FileSyncResult['outcome']> => {
    const rows = await repo.lockRuleSet(trx, compiled.id)
    const current = rows.find((r) => r.status === 'active')
    if (current?.content_hash === compiled.hash) return 'unchanged'
    const same = rows.find((r) => r.version === compiled.version)
    if (same && same.content_hash !== compiled.hash) {
      options.log.error({ file, version: compiled.version }, `rule file ${file}: version ${compiled.version} already exists with other content; bump the version`)
      return 'conflict'
    }
    if (!same) {
      await repo.insertVersion(trx, { ruleSetId: compiled.id, version: compiled.version, content: loaded.ruleSet, hash: compiled.hash, status: 'proposed', proposedBy: actor })
      await appendAudit(trx, { actor, action: 'rule_set.propose', target: `rule_set:${compiled.id}@${compiled.version}`, diff: { hash: compiled.hash, source: 'file' } })
    }
    if (!options.activate) return 'proposed'
    await rules.activateIn(trx, compiled.id, compiled.version, 'file-activation')
    await appendAudit(trx, { actor, action: 'rule_set.activate_file', target: `rule_set:${compiled.id}@${compiled.version}` })
    return 'activated'
  })
  if (outcome === 'activated') {
    await rules.reload()
    options.log.info({ file, version: compiled.version }, `rule set ${compiled.id} ${compiled.version} activated from ${file}`)
  }
  return { file, outcome, version: compiled.version }
}

export async function syncRuleFiles(db: Db, rules: RulesService, dir: string, options: { activate: boolean; log: Logger }): Promise<FileSyncResult[]> {
  const out: FileSyncResult[] = []
  for (const loaded of loadShippedRuleSets(dir)) out.push(await syncRuleFile(db, rules, loaded.file, options))
  return out
}

/** RULES_WATCH: edits to rules/*.json go through the same path while running (debounced per file). */
export function watchRuleFiles(db: Db, rules: RulesService, dir: string, options: { activate: boolean; log: Logger }): FSWatcher {
  const pending = new Map<string, NodeJS.Timeout>()
  return watch(dir, (_event, name) => {
    if (!name || !name.endsWith('.json')) return
    clearTimeout(pending.get(name))
    pending.set(name, setTimeout(() => {
      pending.delete(name)
      syncRuleFile(db, rules, join(dir, name), options).catch((err) => options.log.error({ err, file: name }, 'rule file sync failed'))
    }, 200))
  })
}
