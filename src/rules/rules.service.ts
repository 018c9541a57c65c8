import type { Db } from '../db/database.js'
import type { Notifier } from '../db/notify.js'
import { appendAudit } from '../audit/audit.repository.js'
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, type FieldError } from '../shared/errors.js'
import type { Actor } from '../shared/roles.js'
import { oneAtATime } from '../shared/one-at-a-time.js'
import { loadCases, runCases } from './case-runner.js'
import { compileRuleSet, type CompiledRuleSet, type Evaluation } from './compile.js'
import { diffRuleSets } from './diff.js'
import { RuleSetInvalidError, UndefinedFactError } from './errors.js'
import * as repo from './rules.repository.js'
import type { LintIssue, RuleSet } from './types.js'

export const RULE_SETS_CHANNEL = 'credit_engine_rule_sets'
const POLL_MS = 2_000

export interface Logger {
  info(obj: unknown, msg?: string): void
  warn(obj: unknown, msg?: string): void
  error(obj: unknown, msg?: string): void
}

interface ActiveEntry { version: string; hash: string; compiled: CompiledRuleSet; content: RuleSet; row: repo.RuleSetVersionRow }

function lintToFieldErrors(issues: readonly LintIssue[]): FieldError[] {
  return issues.map((i) => ({ in: 'body', pointer: i.pointer, message: i.message, rule: i.rule, code: i.code }))
}

/** Lints and compiles a candidate, or throws 422 listing every located error. */
export function compileOrReject(content: unknown, file: string): CompiledRuleSet {
  try {
    return compileRuleSet(content, { file })
  } catch (err) {
    if (err instanceof RuleSetInvalidError) throw new UnprocessableError(`The rule set has ${err.errors.length} error(s)`, lintToFieldErrors(err.errors), 'rule_set_invalid')
    throw err
  }
}

/**
 * Rule sets: the active compiled version of each set in memory, swapped atomically (an evaluation holds the
 * CompiledRuleSet it started with), and the propose → approve → active → retired lifecycle in PostgreSQL.
 */
export function createRulesService(db: Db, notifier: Notifier, options: { rulesDir: string; log: Logger }) {
  const active = new Map<string, ActiveEntry>()
  const compiledCache = new Map<string, CompiledRuleSet>()
  // Set by the composition root once the decisions service exists (decisions depend on rules, not the reverse).
  let backtest: ((ruleSetId: string, content: unknown) => Promise<{ decisions: number } | null>) | null = null
  let poller: NodeJS.Timeout | undefined

  /**
   * Loads every active version that differs from what this node serves. Reloads run one at a time: two
   * overlapping ones (two approvals on this node, or an approval and its NOTIFY) could otherwise finish out of
   * order, the one that read the older state last, and leave this node serving a retired version.
   */
  const reloads = oneAtATime(loadActive)
  const reload = (): Promise<void> => reloads.run()

  async function loadActive(): Promise<void> {
    const rows = await repo.listActive(db)
    for (const row of rows) {
      if (active.get(row.rule_set_id)?.hash === row.content_hash) continue
      try {
        const compiled = compileRuleSet(row.content, { file: `db:${row.rule_set_id}@${row.version}` })
        active.set(row.rule_set_id, { version: row.version, hash: row.content_hash, compiled, content: row.content as RuleSet, row })
        options.log.info({ ruleSet: row.rule_set_id, version: row.version }, 'rule set activated on this node')
      } catch (err) {
        options.log.error({ err, ruleSet: row.rule_set_id, version: row.version }, 'active rule set failed to compile; previous version keeps serving')
      }
    }
  }

  async function poll(): Promise<void> {
    try {
      await notifier.ensureConnected()
      const rows = await repo.activeVersions(db)
      if (rows.some((r) => active.get(r.rule_set_id)?.version !== r.version)) await reload()
    } catch (err) {
      options.log.warn({ err }, 'rule-set version check failed')
    }
  }

  /** Makes `version` the one active version of the set, in the caller's transaction; announces it on commit. */
  async function activateIn(trx: Db, ruleSetId: string, version: string, approvedBy: string): Promise<void> {
    const current = await repo.findActive(trx, ruleSetId)
    if (current) await repo.setStatus(trx, ruleSetId, current.version, 'retired')
    await repo.setStatus(trx, ruleSetId, version, 'active', approvedBy)
    await notifier.publish(trx, RULE_SETS_CHANNEL, `${ruleSetId}@${version}`)
  }

  function entry(ruleSetId: string): ActiveEntry {
    const e = active.get(ruleSetId)
    if (!e) throw new NotFoundError(`Rule set ${ruleSetId} has no active version`)
    return e
  }

  return {
    reload,
    activateIn,

    /** Proposals of pipeline rule sets include a backtest over recent stored decisions when there are any. */
    setBacktest(fn: (ruleSetId: string, content: unknown) => Promise<{ decisions: number } | null>): void {
      backtest = fn
    },

    async start(): Promise<void> {
      await reload()
      await notifier.subscribe(RULE_SETS_CHANNEL, () => void reload().catch((err) => options.log.error({ err }, 'rule-set reload failed')))
      poller = setInterval(() => void poll(), POLL_MS)
      poller.unref()
    },

    stop(): void {
      if (poller) clearInterval(poller)
    },

    /** The compiled active version: hold the returned object for the whole evaluation. */
    current(ruleSetId: string): CompiledRuleSet {
      return entry(ruleSetId).compiled
    },

    /** A stored version compiled (cached), for replays and backtests of earlier or candidate versions. */
    async compiledVersion(ruleSetId: string, version: string): Promise<CompiledRuleSet> {
      const current = active.get(ruleSetId)
      if (current?.version === version) return current.compiled
      const key = `${ruleSetId}@${version}`
      const hit = compiledCache.get(key)
      if (hit) return hit
      const row = await repo.findVersion(db, ruleSetId, version)
      if (!row) throw new NotFoundError(`Rule set ${ruleSetId} has no version ${version}`)
      const compiled = compileRuleSet(row.content, { file: `db:${key}` })
      if (compiledCache.size > 100) compiledCache.clear()
      compiledCache.set(key, compiled)
      return compiled
    },

    activeVersions(): Record<string, string> {
      return Object.fromEntries([...active.entries()].map(([id, e]) => [id, e.version]))
    },

    list() {
      return [...active.values()].sort((a, b) => a.compiled.id.localeCompare(b.compiled.id)).map((e) => ({
        id: e.compiled.id, version: e.version, description: e.content.description, decision: e.compiled.decision,
        ruleCount: e.compiled.ruleCount, hash: e.hash, activatedAt: e.row.activated_at?.toISOString() ?? null,
      }))
    },

    get(ruleSetId: string) {
      const e = entry(ruleSetId)
      return { ...describe(e.row), content: e.content }
    },

    async versions(ruleSetId: string) {
      const rows = await repo.listVersions(db, ruleSetId)
      if (rows.length === 0) throw new NotFoundError(`Rule set ${ruleSetId} was not found`)
      return rows.map(describe)
    },

    async version(ruleSetId: string, version: string) {
      const row = await repo.findVersion(db, ruleSetId, version)
      if (!row) throw new NotFoundError(`Rule set ${ruleSetId} has no version ${version}`)
      const current = active.get(ruleSetId)
      const diff = current ? diffRuleSets(current.content, row.content as RuleSet) : null
      return { ...describe(row), content: row.content as RuleSet, diffAgainstActive: diff, activeVersion: current?.version ?? null }
    },

    /** A dry run on the active set, or on a candidate given inline. */
    evaluate(ruleSetId: string, input: { facts: Record<string, unknown>; ruleSet?: unknown; trace?: boolean }): Evaluation & { version: string } {
      let compiled: CompiledRuleSet
      if (input.ruleSet !== undefined) {
        compiled = compileOrReject(input.ruleSet, 'request')
        if (compiled.id !== ruleSetId) throw new UnprocessableError('The candidate rule set is for another id', [{ in: 'body', pointer: '/ruleSet/id', message: `must be ${ruleSetId}` }])
      } else compiled = entry(ruleSetId).compiled
      try {
        return { ...compiled.evaluate(input.facts, { trace: input.trace === true }), version: compiled.version }
      } catch (err) {
        if (err instanceof UndefinedFactError) {
          throw new UnprocessableError(`Fact ${err.fact} is required by the rule set`, [{ in: 'body', pointer: `/facts/${err.fact}`, message: 'is required by the rule set' }], 'undefined_fact')
        }
        throw err
      }
    },

    /** Lint + the set's cases; stored as proposed, or 422 with every error. */
    async propose(ruleSetId: string, content: unknown, actor: Actor) {
      const compiled = compileOrReject(content, 'request')
      if (compiled.id !== ruleSetId) throw new UnprocessableError('The rule set id does not match the URL', [{ in: 'body', pointer: '/id', message: `must be ${ruleSetId}` }])
      const cases = loadCases(options.rulesDir, ruleSetId)
      const failures = cases ? runCases(compiled, cases) : []
      if (failures.length > 0) {
        throw new UnprocessableError(`${failures.length} test case(s) of ${ruleSetId} fail`, failures.map((f) => ({
          in: 'cases', pointer: `/cases/${f.index}`, message: `${f.case}: ${f.message}`, code: 'case_failed',
        })), 'rule_set_cases_failed')
      }
      const summary = backtest ? await backtest(ruleSetId, content).catch((err) => {
        options.log.warn({ err, ruleSet: ruleSetId }, 'backtest of the proposal failed')
        return null
      }) : null
      const proposal = await db.transaction().execute(async (trx) => {
        const existing = await repo.lockRuleSet(trx, ruleSetId)
        const same = existing.find((r) => r.version === compiled.version)
        if (same) throw new ConflictError(`Version ${compiled.version} of ${ruleSetId} already exists (${same.status}); bump the version`, 'version_exists')
        await repo.insertVersion(trx, { ruleSetId, version: compiled.version, content, hash: compiled.hash, status: 'proposed', proposedBy: actor.keyId, notes: { warnings: compiled.warnings } })
        await appendAudit(trx, { actor: actor.keyId, action: 'rule_set.propose', target: `rule_set:${ruleSetId}@${compiled.version}`, diff: { hash: compiled.hash } })
        return {
          id: ruleSetId, version: compiled.version, status: 'proposed' as const, hash: compiled.hash,
          warnings: lintToFieldErrors(compiled.warnings), cases: { run: cases?.cases.length ?? 0, failed: 0 },
        }
      })
      return summary && summary.decisions > 0 ? { ...proposal, backtest: summary } : proposal
    },

    /** Activates a proposed version; the approver must not be the proposer. */
    async approve(ruleSetId: string, version: string, actor: Actor) {
      await db.transaction().execute(async (trx) => {
        const rows = await repo.lockRuleSet(trx, ruleSetId)
        const row = rows.find((r) => r.version === version)
        if (!row) throw new NotFoundError(`Rule set ${ruleSetId} has no version ${version}`)
        if (row.proposed_by === actor.keyId) throw new ForbiddenError('A rule set must be approved by a different key than the one that proposed it')
        if (row.status !== 'proposed') throw new ConflictError(`Version ${version} is ${row.status}, not proposed`, 'invalid_transition')
        await activateIn(trx, ruleSetId, version, actor.keyId)
        await appendAudit(trx, { actor: actor.keyId, action: 'rule_set.approve', target: `rule_set:${ruleSetId}@${version}` })
      })
      await reload()
      return this.get(ruleSetId)
    },

    /** Re-activates a version that was active before. */
    async rollback(ruleSetId: string, version: string, actor: Actor) {
      await db.transaction().execute(async (trx) => {
        const rows = await repo.lockRuleSet(trx, ruleSetId)
        const row = rows.find((r) => r.version === version)
        if (!row) throw new NotFoundError(`Rule set ${ruleSetId} has no version ${version}`)
        if (row.status === 'active') throw new ConflictError(`Version ${version} is already active`, 'already_active')
        if (row.status !== 'retired' || row.activated_at === null) throw new ConflictError(`Version ${version} was never active; approve it instead`, 'invalid_transition')
        await activateIn(trx, ruleSetId, version, actor.keyId)
        await appendAudit(trx, { actor: actor.keyId, action: 'rule_set.rollback', target: `rule_set:${ruleSetId}@${version}` })
      })
      await reload()
      return this.get(ruleSetId)
    },
  }
}

function describe(r: Pick<repo.RuleSetVersionRow, 'rule_set_id' | 'version' | 'content_hash' | 'status' | 'proposed_by' | 'approved_by' | 'created_at' | 'activated_at'>) {
  return {
    id: r.rule_set_id, version: r.version, hash: r.content_hash, status: r.status, proposedBy: r.proposed_by,
    approvedBy: r.approved_by, createdAt: r.created_at.toISOString(), activatedAt: r.activated_at?.toISOString() ?? null,
  }
}

export type RulesService = ReturnType<typeof createRulesService>
