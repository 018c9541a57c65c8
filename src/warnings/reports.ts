/** Read models: the enterprise warning report, the head-office summary and the branch daily report. */
import type { Db } from '../db/database.js'
import { RISK_EVENT_BY_CODE, RELATION_TYPES as DIMENSIONS, WARNING_LEVELS } from '../rules/event-types.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import type { Actor } from '../shared/roles.js'
import { toHistory, toWarning } from './warnings.mapper.js'
import * as repo from './warnings.repository.js'
import * as reports from './reports.repository.js'
import type { Warning } from './warnings.schemas.js'

const DAY_MS = 24 * 3600 * 1000
const DAY_LIMIT = 20_000
/** Start of a CST calendar day as an instant. */
const cstStart = (date: string) => `${date}T00:00:00+08:00`
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
const todayCst = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

type LevelCounts = { HIGH: number; MEDIUM: number; LOW: number; total: number }
const zero = (): LevelCounts => ({ HIGH: 0, MEDIUM: 0, LOW: 0, total: 0 })
function add(c: LevelCounts, level: string, n: number): void {
  if ((WARNING_LEVELS as readonly string[]).includes(level)) c[level as 'HIGH'] += n
  c.total += n
}

export interface ReportDeps {
  canSee: (actor: Actor, branchId: string | null) => boolean
}

export function createReports(db: Db, deps: ReportDeps) {
  return {
    /** Direct warnings, related-party (propagated) warnings by dimension, and 12 CST months of risk events. */
    async enterpriseReport(uscc: string, actor: Actor) {
      const head = await reports.enterpriseHeader(db, uscc)
      const owner = (await repo.ownership(db, [uscc])).get(uscc)
      if (!head || !owner || !deps.canSee(actor, owner.branchId)) throw new NotFoundError(`Enterprise ${uscc} was not found`)
      const warnings = (await repo.warningsOf(db, [uscc])).filter((w) => deps.canSee(actor, w.branch_id)).map(toWarning)
      const related = Object.fromEntries(DIMENSIONS.map((d) => [d, [] as Warning[]])) as Record<(typeof DIMENSIONS)[number], Warning[]>
      for (const w of warnings) if (w.kind === 'propagated' && w.dimension) related[w.dimension as (typeof DIMENSIONS)[number]]?.push(w)
      const thisMonth = todayCst().slice(0, 7)
      const months: string[] = []
      for (let i = 11; i >= 0; i--) {
        const d = new Date(`${thisMonth}-01T00:00:00Z`)
        d.setUTCMonth(d.getUTCMonth() - i)
        months.push(d.toISOString().slice(0, 7))
      }
      const rows = await reports.monthlyEvents(db, uscc, cstStart(`${months[0]}-01`))
      const trend = months.map((month) => {
        const c = zero()
        let events = 0
        for (const r of rows.filter((x) => x.month === month)) {
          events += r.n
          if (r.level) add(c, r.level, r.n)
        }
        return { month, events, ...c }
      })
      return { uscc, name: head.name, branchId: owner.branchId, direct: warnings.filter((w) => w.kind === 'direct'), related, trend }
    },

    /** Head office: warnings created on CST days from..to (inclusive) by branch × level, event type and day. */
    async summary(from: string, to: string) {
      const span = (Date.parse(to) - Date.parse(from)) / DAY_MS
      if (span < 0) throw new ValidationError('`to` is before `from`', [{ in: 'querystring', pointer: '/to', message: 'must not be before from' }])
      if (span > 366) throw new ValidationError('The range is longer than 366 days', [{ in: 'querystring', pointer: '/to', message: 'must be at most 366 days after from' }])
      const range = { from: cstStart(from), to: cstStart(addDays(to, 1)) }
      const [byBranchLevel, byType, byDay] = await Promise.all([
        reports.countsByBranchLevel(db, range), reports.countsByType(db, range), reports.countsByDayLevel(db, range),
      ])
      const branches = new Map<string | null, LevelCounts>()
      let total = 0
      for (const r of byBranchLevel) {
        const c = branches.get(r.branch_id) ?? zero()
        add(c, r.level, r.n)
        branches.set(r.branch_id, c)
        total += r.n
      }
      const byBranch = [...branches.entries()].map(([branchId, c]) => ({ branchId, ...c }))
        .sort((a, b) => (a.branchId ?? '').localeCompare(b.branchId ?? ''))
      const days = new Map<string, LevelCounts>()
      for (let d = from; d <= to; d = addDays(d, 1)) days.set(d, zero())
      for (const r of byDay) { const c = days.get(r.day); if (c) add(c, r.level, r.n) }
      const topBranches = byBranch.filter((b): b is typeof b & { branchId: string } => b.branchId !== null)
        .sort((a, b) => b.HIGH - a.HIGH || b.total - a.total || a.branchId.localeCompare(b.branchId)).slice(0, 10)
        .map((b) => ({ branchId: b.branchId, HIGH: b.HIGH, total: b.total }))
      return {
        from, to, total, byBranch,
        byEventType: byType.map((r) => ({ type: r.event_type, zh: RISK_EVENT_BY_CODE.get(r.event_type)?.zh ?? r.event_type, count: r.n })),
        daily: [...days.entries()].map(([date, c]) => ({ date, ...c })),
        topBranches,
      }
    },

    /** A branch's day (CST): counts, the warnings created, and the workflow transitions. Head office may omit the branch (all). */
    async dailyReport(query: { branch?: string; date: string }, actor: Actor) {
      let branch: string | null = query.branch ?? null
      if (actor.role === 'branch') {
        if (branch !== null && branch !== actor.branchId) throw new NotFoundError(`Branch ${branch} was not found`)
        branch = actor.branchId
        if (branch === null) throw new NotFoundError('This key has no branch')
      } else if (branch !== null && !(await reports.branchExists(db, branch))) {
        throw new NotFoundError(`Branch ${branch} was not found`)
      }
      const range = { from: cstStart(query.date), to: cstStart(addDays(query.date, 1)) }
      const [ids, transitions, counts] = await Promise.all([
        reports.dayWarningIds(db, range, branch, DAY_LIMIT + 1), reports.dayTransitions(db, range, branch, DAY_LIMIT + 1), reports.dayCounts(db, range, branch),
      ])
      const warnings = (await repo.warningsByIds(db, ids.slice(0, DAY_LIMIT))).map(toWarning)
      return {
        date: query.date, branchId: branch,
        summary: {
          created: { HIGH: counts.created_high, MEDIUM: counts.created_medium, LOW: counts.created_low, total: counts.created_high + counts.created_medium + counts.created_low },
          transitions: counts.transitions, openNow: counts.open_now, highOnCustomers: counts.high_customers,
          truncated: ids.length > DAY_LIMIT || transitions.length > DAY_LIMIT,
        },
        warnings,
        transitions: transitions.slice(0, DAY_LIMIT).map((h) => ({ warningId: h.warning_id, uscc: h.uscc, ...toHistory(h) })),
      }
    },
  }
}

export type DailyReport = Awaited<ReturnType<ReturnType<typeof createReports>['dailyReport']>>
