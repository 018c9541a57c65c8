import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import type { HistoryRow } from './warnings.repository.js'

/** Wall-clock day and month in China Standard Time (UTC+8, no daylight saving). */
const cstDay = (col: ReturnType<typeof sql.ref>) => sql<string>`to_char((${col} at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`
const cstMonth = (col: ReturnType<typeof sql.ref>) => sql<string>`to_char((${col} at time zone 'UTC') + interval '8 hours', 'YYYY-MM')`

export interface Range { from: string; to: string }

export async function enterpriseHeader(db: Executor, uscc: string) {
  return db.selectFrom('enterprises').select(['uscc', 'name']).where('uscc', '=', uscc).executeTakeFirst()
}

/** Risk events per CST month and level since `from` (inclusive instant). */
export async function monthlyEvents(db: Executor, uscc: string, from: string): Promise<{ month: string; level: string | null; n: number }[]> {
  const r = await sql<{ month: string; level: string | null; n: number }>`
    select ${cstMonth(sql.ref('occurred_at'))} as month, level, count(*)::int as n from risk_events
    where uscc = ${uscc} and occurred_at >= ${from}::timestamptz group by 1, 2`.execute(db)
  return r.rows
}

export async function countsByBranchLevel(db: Executor, range: Range) {
  const r = await sql<{ branch_id: string | null; level: string; n: number }>`select branch_id, level, count(*)::int as n from warnings
    where created_at >= ${range.from}::timestamptz and created_at < ${range.to}::timestamptz group by 1, 2`.execute(db)
  return r.rows
}

export async function countsByType(db: Executor, range: Range) {
  const r = await sql<{ event_type: string; n: number }>`select event_type, count(*)::int as n from warnings
    where created_at >= ${range.from}::timestamptz and created_at < ${range.to}::timestamptz group by 1 order by 2 desc, 1`.execute(db)
  return r.rows
}

export async function countsByDayLevel(db: Executor, range: Range) {
  const r = await sql<{ day: string; level: string; n: number }>`select ${cstDay(sql.ref('created_at'))} as day, level, count(*)::int as n
    from warnings where created_at >= ${range.from}::timestamptz and created_at < ${range.to}::timestamptz group by 1, 2`.execute(db)
  return r.rows
}

const branchFilter = (col: string, branch: string | null) => (branch === null ? sql`true` : sql`${sql.ref(col)} = ${branch}`)

export async function dayWarningIds(db: Executor, range: Range, branch: string | null, limit: number): Promise<string[]> {
  const r = await sql<{ id: string }>`select w.id from warnings w
    where w.created_at >= ${range.from}::timestamptz and w.created_at < ${range.to}::timestamptz and ${branchFilter('w.branch_id', branch)}
    order by w.created_at, w.id limit ${limit}`.execute(db)
  return r.rows.map((x) => x.id)
}

export async function dayTransitions(db: Executor, range: Range, branch: string | null, limit: number): Promise<(HistoryRow & { uscc: string })[]> {
  const r = await sql<HistoryRow & { uscc: string }>`select h.*, w.uscc from warning_history h join warnings w on w.id = h.warning_id
    where h.at >= ${range.from}::timestamptz and h.at < ${range.to}::timestamptz and ${branchFilter('w.branch_id', branch)}
      and h.action in ('acknowledge', 'confirm', 'dismiss', 'report', 'close')
    order by h.at, h.id limit ${limit}`.execute(db)
  return r.rows
}

export async function dayCounts(db: Executor, range: Range, branch: string | null) {
  const r = await sql<{ created_high: number; created_medium: number; created_low: number; transitions: number; open_now: number; high_customers: number }>`
    select
      (select count(*)::int from warnings w where w.created_at >= ${range.from}::timestamptz and w.created_at < ${range.to}::timestamptz and w.level = 'HIGH' and ${branchFilter('w.branch_id', branch)}) as created_high,
      (select count(*)::int from warnings w where w.created_at >= ${range.from}::timestamptz and w.created_at < ${range.to}::timestamptz and w.level = 'MEDIUM' and ${branchFilter('w.branch_id', branch)}) as created_medium,
      (select count(*)::int from warnings w where w.created_at >= ${range.from}::timestamptz and w.created_at < ${range.to}::timestamptz and w.level = 'LOW' and ${branchFilter('w.branch_id', branch)}) as created_low,
      (select count(*)::int from warning_history h join warnings w on w.id = h.warning_id where h.at >= ${range.from}::timestamptz and h.at < ${range.to}::timestamptz
        and h.action in ('acknowledge', 'confirm', 'dismiss', 'report', 'close') and ${branchFilter('w.branch_id', branch)}) as transitions,
      (select count(*)::int from warnings w where w.status = 'OPEN' and ${branchFilter('w.branch_id', branch)}) as open_now,
      (select count(*)::int from warning_outbox o where o.created_at >= ${range.from}::timestamptz and o.created_at < ${range.to}::timestamptz and ${branchFilter('o.branch_id', branch)}) as high_customers`.execute(db)
  return r.rows[0]!
}

export async function branchExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('branches').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}
