import type { Db } from '../db/database.js'
import type { Notifier } from '../db/notify.js'
import { appendAudit } from '../audit/audit.repository.js'
import type { GraphService } from '../graph/graph.service.js'
import type { CreditGraph } from '../graph/graph.js'
import type { Logger, RulesService } from '../rules/rules.service.js'
import { RISK_EVENT_TYPES } from '../rules/event-types.js'
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../shared/errors.js'
import { decodeCursor, decodeTimeIdCursor, encodeCursor } from '../shared/cursor.js'
import type { Actor } from '../shared/roles.js'
import { ingestEvents } from './ingest.js'
import { toEvent, toHistory, toWarning } from './warnings.mapper.js'
import * as repo from './warnings.repository.js'
import { createReports } from './reports.js'
import type { TransitionBody } from './warnings.schemas.js'
import { allowedActions, applyTransition, type Resolution, type WarningStatus } from './workflow.js'

export interface WarningsDeps {
  rules: Pick<RulesService, 'current'>
  graph: Pick<GraphService, 'ensureLoaded'>
  notifier: Notifier
  log: Logger
}

/** A branch key sees only its branch's warnings; everyone else admitted to the route sees all. */
export function canSee(actor: Actor, branchId: string | null): boolean {
  return actor.role !== 'branch' || (actor.branchId !== null && actor.branchId === branchId)
}

/** The version a client expects, from the body or an If-Match header ("3", W/"3" or 3; * means any). */
export function expectedVersionOf(body: number | undefined, ifMatch: string | undefined): number | null {
  let header: number | null = null
  if (ifMatch !== undefined && ifMatch.trim() !== '*') {
    const m = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(ifMatch)
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 2_147_483_647) {
      throw new ValidationError('If-Match must name a warning version, e.g. "3"', [{ in: 'headers', pointer: '/if-match', message: 'is not a version' }])
    }
    header = Number(m[1])
  }
  if (body !== undefined && header !== null && body !== header) {
    throw new ValidationError('expectedVersion and If-Match disagree', [{ in: 'body', pointer: '/expectedVersion', message: `differs from If-Match (${header})` }])
  }
  return body ?? header
}

const ruleSet = (rules: WarningsDeps['rules'], id: string) => {
  try {
    return rules.current(id)
  } catch (err) {
    if (err instanceof NotFoundError) throw new ServiceUnavailableError(`Rule set ${id} has no active version`, 30, 'rule_set_unavailable')
    throw err
  }
}

export function createWarningsService(db: Db, deps: WarningsDeps) {
  // One load at a time: a second caller waits for the first instead of getting the graph service's 503.
  let loading: Promise<CreditGraph> | null = null
  const currentGraph = () => (loading ??= deps.graph.ensureLoaded().then((l) => l.graph).finally(() => { loading = null }))
  const ingestDeps = {
    levels: () => ruleSet(deps.rules, 'warning-levels'),
    propagation: () => ruleSet(deps.rules, 'warning-propagation'),
    graph: currentGraph,
    notifier: deps.notifier,
  }

  async function getWarning(id: string, actor: Actor) {
    const row = await visibleWarning(id, actor)
    const [events, history] = await Promise.all([repo.eventsOfWarning(db, id), repo.historyOf(db, id)])
    return {
      ...toWarning(row), allowedActions: allowedActions(row.status as WarningStatus),
      events: events.map(toEvent), history: history.map(toHistory),
    }
  }

  async function visibleWarning(id: string, actor: Actor) {
    const row = await repo.findWarning(db, id)
    if (!row || !canSee(actor, row.branch_id)) throw new NotFoundError(`Warning ${id} was not found`)
    return row
  }

  return {
    eventTypes: () => RISK_EVENT_TYPES.map((t) => ({ ...t })),

    ingest: (raw: unknown[], actor: Actor) => ingestEvents(db, ingestDeps, raw, actor),

    async list(query: Omit<repo.WarningFilter, 'after' | 'limit' | 'scopeBranch'> & { cursor?: string; limit?: number }, actor: Actor) {
      const limit = query.limit ?? 50
      const after = query.cursor ? decodeTimeIdCursor(query.cursor) : undefined
      const { cursor: _c, limit: _l, ...filters } = query
      const rows = await repo.listWarnings(db, { ...filters, limit, ...(after ? { after } : {}), ...(actor.role === 'branch' ? { scopeBranch: actor.branchId } : {}) })
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page.map(toWarning), nextCursor: rows.length > limit && last ? encodeCursor([last.created_us, last.id]) : null }
    },

    get: getWarning,

    /** One workflow step under the row lock; stale versions and disallowed steps are 409, other branches' warnings 404. */
    async transition(id: string, body: TransitionBody, ifMatch: string | undefined, actor: Actor) {
      const expected = expectedVersionOf(body.expectedVersion, ifMatch)
      const comment = body.comment?.trim() ? body.comment.trim() : null
      await db.transaction().execute(async (trx) => {
        const row = await repo.findWarning(trx, id, true)
        if (!row || !canSee(actor, row.branch_id)) throw new NotFoundError(`Warning ${id} was not found`)
        if (expected !== null && expected !== row.version) {
          throw new ConflictError(`The warning is at version ${row.version}, not ${expected}; reload it and retry`, 'version_conflict', { currentVersion: row.version })
        }
        const next = applyTransition({ status: row.status as WarningStatus, resolution: row.resolution as Resolution | null }, body.action, comment)
        const version = row.version + 1
        await repo.saveTransition(trx, id, { ...next, version })
        await repo.appendHistory(trx, [{
          warningId: id, action: body.action, fromStatus: row.status, toStatus: next.status, fromLevel: row.level, toLevel: row.level,
          version, actor: actor.keyId, comment,
        }])
        await appendAudit(trx, { actor: actor.keyId, action: `warning.${body.action}`, target: `warning:${id}`, diff: { from: row.status, to: next.status, version, comment } })
      })
      return getWarning(id, actor)
    },

    /** Notifications after a cursor (HIGH warnings on customers), in commit-safe order. */
    async feed(after: string | undefined, limit: number, actor: Actor) {
      let position: { txid: number; seq: number } | null = null
      if (after) {
        const [txid, seq] = decodeCursor(after)
        if (!Number.isSafeInteger(txid) || !Number.isSafeInteger(seq)) {
          throw new ValidationError('The cursor is invalid', [{ in: 'querystring', pointer: '/after', message: 'is not a cursor from this feed' }])
        }
        position = { txid: txid as number, seq: seq as number }
      }
      const items: ReturnType<typeof feedItem>[] = []
      let last = position
      // A branch key reads the shared feed filtered to its branch; keep reading until a page fills or the feed ends.
      for (;;) {
        const rows = await repo.readOutbox(db, last, limit)
        for (const r of rows) {
          last = { txid: r.txid, seq: r.seq }
          if (canSee(actor, r.branch_id)) items.push(feedItem(r))
          if (items.length >= limit) break
        }
        if (rows.length < limit || items.length >= limit) break
      }
      return { items, nextCursor: encodeCursor(last ? [last.txid, last.seq] : [0, 0]) }
    },

    ...createReports(db, { canSee }),
  }
}

function feedItem(r: repo.OutboxRow) {
  return {
    cursor: encodeCursor([r.txid, r.seq]), warningId: r.warning_id, uscc: r.uscc, branchId: r.branch_id, level: r.level, kind: r.kind,
    payload: r.payload, createdAt: new Date(r.created_at).toISOString(),
  }
}

export type WarningsService = ReturnType<typeof createWarningsService>
