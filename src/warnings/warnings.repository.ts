import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import { beforeKey, micros } from '../db/keyset.js'
import { bulkUpsert, type BulkColumn } from '../db/bulk.js'

/** A risk event as stored by ingest (id chosen by the service). */
export interface RiskEventRecord {
  id: string
  externalId: string
  uscc: string
  type: string
  severity: number | null
  amount: number | null
  occurredAt: string
  source: string
  payload: unknown
  level: string | null
  reasons: string[]
  ruleVersion: string
}

const col = (name: string, type: string): BulkColumn => ({ name, type })

/** Inserts the events whose externalId is new; returns the external ids actually inserted (race-safe). */
export async function insertEvents(db: Executor, rows: readonly RiskEventRecord[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  for (let start = 0; start < rows.length; start += 5_000) {
    const chunk = rows.slice(start, start + 5_000)
    const a = <T>(f: (r: RiskEventRecord) => T) => chunk.map(f)
    const result = await sql<{ external_id: string }>`
      insert into risk_events (id, external_id, uscc, type, severity, amount, occurred_at, source, payload, level, reasons, rule_version)
      select * from unnest(${a((r) => r.id)}::uuid[], ${a((r) => r.externalId)}::text[], ${a((r) => r.uscc)}::text[],
        ${a((r) => r.type)}::text[], ${a((r) => r.severity)}::int4[], ${a((r) => r.amount)}::numeric[],
        ${a((r) => r.occurredAt)}::timestamptz[], ${a((r) => r.source)}::text[],
        ${a((r) => (r.payload === null || r.payload === undefined ? null : JSON.stringify(r.payload)))}::jsonb[],
        ${a((r) => r.level)}::text[], ${a((r) => JSON.stringify(r.reasons))}::jsonb[], ${a((r) => r.ruleVersion)}::text[])
      on conflict (external_id) do nothing
      returning external_id`.execute(db)
    for (const r of result.rows) inserted.add(r.external_id)
  }
  return inserted
}

/** Occurrence times (ms) of stored events per `uscc|type`, for the given enterprises and types since `since`. */
export async function eventTimes(db: Executor, usccs: readonly string[], types: readonly string[], since: Date): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>()
  if (usccs.length === 0) return out
  const rows = await sql<{ uscc: string; type: string; occurred_at: Date }>`
    select uscc, type, occurred_at from risk_events
    where uscc = any(${[...new Set(usccs)]}::text[]) and type = any(${[...new Set(types)]}::text[]) and occurred_at > ${since}`.execute(db)
  for (const r of rows.rows) {
    const k = `${r.uscc}|${r.type}`
    const list = out.get(k) ?? []
    list.push(new Date(r.occurred_at).getTime())
    out.set(k, list)
  }
  return out
}

/** Advisory-lock namespace of warning changes, and the number of buckets enterprises hash into. */
const LOCK_NAMESPACE = 0x5741524e // 'WARN'
const LOCK_BUCKETS = 256

/**
 * Serialises warning changes per enterprise across concurrent ingests and nodes (released at commit). Enterprises
 * hash into 256 buckets, locked in order: a lock per enterprise would exhaust the shared lock table on a
 * 10,000-event batch, and a bucket collision only makes two ingests wait for each other.
 */
export async function lockEnterprises(db: Executor, usccs: readonly string[]): Promise<void> {
  if (usccs.length === 0) return
  await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int4, s.b)
    from (select distinct hashtext(u) & ${LOCK_BUCKETS - 1} as b from unnest(${[...new Set(usccs)]}::text[]) as u order by b) s`.execute(db)
}

const ACTIVE = sql`w.status <> 'CLOSED' and coalesce(w.resolution, '') <> 'DISMISSED'`

export interface ActiveDirectRow {
  id: string; uscc: string; level: string; status: string; event_type: string; event_count: number; merged_count: number
  first_event_at: Date; last_event_at: Date; version: number
}

/** The active direct warnings of these enterprises, locked for update. */
export async function lockActiveDirect(db: Executor, usccs: readonly string[]): Promise<ActiveDirectRow[]> {
  if (usccs.length === 0) return []
  const r = await sql<ActiveDirectRow>`
    select w.id, w.uscc, w.level, w.status, w.event_type, w.event_count, w.merged_count, w.first_event_at, w.last_event_at, w.version
    from warnings w where w.uscc = any(${[...new Set(usccs)]}::text[]) and w.propagated_from_uscc is null and ${ACTIVE}
    order by w.id for update`.execute(db)
  return r.rows
}

/** Types and times of the events on these warnings that occurred after `since` (for the merge window). */
export async function recentWarningEvents(db: Executor, warningIds: readonly string[], since: Date): Promise<{ warning_id: string; type: string; occurred_at: Date }[]> {
  if (warningIds.length === 0) return []
  const r = await sql<{ warning_id: string; type: string; occurred_at: Date }>`
    select we.warning_id, e.type, e.occurred_at from warning_events we join risk_events e on e.id = we.event_id
    where we.warning_id = any(${warningIds}::uuid[]) and e.occurred_at > ${since}`.execute(db)
  return r.rows
}

export interface ActivePropagatedRow { id: string; uscc: string; propagated_from_uscc: string; level: string; status: string; version: number; event_count: number }

/** Active propagated warnings for these (target, source) pairs, locked for update. */
export async function lockActivePropagated(db: Executor, pairs: readonly { uscc: string; from: string }[]): Promise<ActivePropagatedRow[]> {
  if (pairs.length === 0) return []
  const r = await sql<ActivePropagatedRow>`
    select w.id, w.uscc, w.propagated_from_uscc, w.level, w.status, w.version, w.event_count
    from warnings w join unnest(${pairs.map((p) => p.uscc)}::text[], ${pairs.map((p) => p.from)}::text[]) as p(uscc, src)
      on w.uscc = p.uscc and w.propagated_from_uscc = p.src
    where ${ACTIVE} order by w.id for update of w`.execute(db)
  return r.rows
}

export interface Ownership { uscc: string; branchId: string | null; isCustomer: boolean }

/**
 * The branch owning each enterprise's warnings: its customer branch, else the branch serving its region
 * (same first 4 digits of the region code; an exact region match first, then the lowest id), else none (head office).
 */
export async function ownership(db: Executor, usccs: readonly string[]): Promise<Map<string, Ownership>> {
  if (usccs.length === 0) return new Map()
  const r = await sql<{ uscc: string; customer_branch_id: string | null; region_branch: string | null }>`
    select e.uscc, e.customer_branch_id,
      (select b.id from branches b where left(b.region_code, 4) = left(e.region_code, 4)
        order by (b.region_code = e.region_code) desc, b.id limit 1) as region_branch
    from enterprises e where e.uscc = any(${[...new Set(usccs)]}::text[])`.execute(db)
  return new Map(r.rows.map((x) => [x.uscc, { uscc: x.uscc, branchId: x.customer_branch_id ?? x.region_branch, isCustomer: x.customer_branch_id !== null }]))
}

export interface NewWarning {
  id: string; uscc: string; level: string; branchId: string | null; eventType: string; sourceEventId: string
  propagatedFromUscc: string | null; propagatedFromWarningId: string | null; dimension: string | null; path: unknown
  reasons: string[]; eventCount: number; mergedCount: number; firstEventAt: string; lastEventAt: string; version: number
}

export async function insertWarnings(db: Executor, rows: readonly NewWarning[]): Promise<void> {
  const cols = [
    col('id', 'uuid'), col('uscc', 'text'), col('level', 'text'), col('status', 'text'), col('branch_id', 'text'),
    col('event_type', 'text'), col('source_event_id', 'uuid'), col('propagated_from_uscc', 'text'),
    col('propagated_from_warning_id', 'uuid'), col('dimension', 'text'), col('relation_path', 'jsonb'), col('reasons', 'jsonb'),
    col('event_count', 'int4'), col('merged_count', 'int4'), col('first_event_at', 'timestamptz'), col('last_event_at', 'timestamptz'),
    col('version', 'int4'),
  ]
  await bulkUpsert(db, 'warnings', cols, rows.map((w) => [
    w.id, w.uscc, w.level, 'OPEN', w.branchId, w.eventType, w.sourceEventId, w.propagatedFromUscc, w.propagatedFromWarningId,
    w.dimension, w.path === null ? null : JSON.stringify(w.path), JSON.stringify(w.reasons), w.eventCount, w.mergedCount,
    w.firstEventAt, w.lastEventAt, w.version,
  ]), { target: ['id'], update: [] })
}

export interface WarningUpdate {
  id: string; version: number
  /** Fields left out keep their stored value. */
  level?: string; eventType?: string; eventCount?: number; mergedCount?: number; firstEventAt?: string; lastEventAt?: string
  path?: unknown; reasons?: string[]
}

/** Rewrites the given fields and the version of existing warnings. */
export async function updateWarnings(db: Executor, rows: readonly WarningUpdate[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 5_000) {
    const c = rows.slice(start, start + 5_000)
    const a = <T>(f: (r: WarningUpdate) => T | undefined) => c.map((r) => f(r) ?? null)
    await sql`update warnings w set level = coalesce(u.level, w.level), event_type = coalesce(u.event_type, w.event_type),
        event_count = coalesce(u.event_count, w.event_count), merged_count = coalesce(u.merged_count, w.merged_count),
        first_event_at = least(w.first_event_at, u.first_event_at), last_event_at = greatest(w.last_event_at, u.last_event_at),
        version = u.version, relation_path = coalesce(u.path, w.relation_path), reasons = coalesce(u.reasons, w.reasons), updated_at = now()
      from unnest(${a((r) => r.id)}::uuid[], ${a((r) => r.level)}::text[], ${a((r) => r.eventType)}::text[],
        ${a((r) => r.eventCount)}::int4[], ${a((r) => r.mergedCount)}::int4[], ${a((r) => r.firstEventAt)}::timestamptz[],
        ${a((r) => r.lastEventAt)}::timestamptz[], ${a((r) => r.version)}::int4[],
        ${a((r) => (r.path === undefined ? null : JSON.stringify(r.path)))}::jsonb[],
        ${a((r) => (r.reasons ? JSON.stringify(r.reasons) : null))}::jsonb[])
        as u(id, level, event_type, event_count, merged_count, first_event_at, last_event_at, version, path, reasons)
      where w.id = u.id`.execute(db)
  }
}

export interface WarningEventLink { warningId: string; eventId: string; role: string; level: string | null }

export async function linkEvents(db: Executor, rows: readonly WarningEventLink[]): Promise<void> {
  await bulkUpsert(db, 'warning_events', [col('warning_id', 'uuid'), col('event_id', 'uuid'), col('role', 'text'), col('level', 'text')],
    rows.map((r) => [r.warningId, r.eventId, r.role, r.level]), { target: ['warning_id', 'event_id'], update: [] })
}

export interface HistoryEntry {
  warningId: string; action: string; fromStatus: string | null; toStatus: string; fromLevel: string | null; toLevel: string
  version: number; actor: string; comment: string | null
}

export async function appendHistory(db: Executor, rows: readonly HistoryEntry[]): Promise<void> {
  const cols = [col('warning_id', 'uuid'), col('action', 'text'), col('from_status', 'text'), col('to_status', 'text'),
    col('from_level', 'text'), col('to_level', 'text'), col('version', 'int4'), col('actor', 'text'), col('comment', 'text')]
  await bulkUpsert(db, 'warning_history', cols, rows.map((h) => [h.warningId, h.action, h.fromStatus, h.toStatus, h.fromLevel, h.toLevel, h.version, h.actor, h.comment]),
    { target: ['id'], update: [] })
}

/** Audit entries in bulk (the same table appendAudit writes one row at a time). */
export async function appendAuditRows(db: Executor, rows: readonly { actor: string; action: string; target: string; diff: unknown }[]): Promise<void> {
  await bulkUpsert(db, 'audit_log', [col('actor', 'text'), col('action', 'text'), col('target', 'text'), col('diff', 'jsonb')],
    rows.map((r) => [r.actor, r.action, r.target, JSON.stringify(r.diff ?? null)]), { target: ['id'], update: [] })
}

export interface OutboxEntry { warningId: string; uscc: string; branchId: string | null; level: string; kind: string; payload: unknown }

export async function appendOutbox(db: Executor, rows: readonly OutboxEntry[]): Promise<void> {
  await bulkUpsert(db, 'warning_outbox', [col('warning_id', 'uuid'), col('uscc', 'text'), col('branch_id', 'text'), col('level', 'text'), col('kind', 'text'), col('payload', 'jsonb')],
    rows.map((r) => [r.warningId, r.uscc, r.branchId, r.level, r.kind, JSON.stringify(r.payload)]), { target: ['seq'], update: [] })
}

// ---- reads and the workflow

export type WarningRow = {
  id: string; uscc: string; level: string; status: string; resolution: string | null; branch_id: string | null; event_type: string
  source_event_id: string | null; propagated_from_uscc: string | null; propagated_from_warning_id: string | null; dimension: string | null
  relation_path: unknown; reasons: string[]; event_count: number; merged_count: number; first_event_at: Date; last_event_at: Date
  assignee: string | null; version: number; created_at: Date; updated_at: Date; created_us: number; enterprise_name: string | null
}

const WARNING_COLUMNS = sql`w.id, w.uscc, w.level, w.status, w.resolution, w.branch_id, w.event_type, w.source_event_id,
  w.propagated_from_uscc, w.propagated_from_warning_id, w.dimension, w.relation_path, w.reasons, w.event_count, w.merged_count,
  w.first_event_at, w.last_event_at, w.assignee, w.version, w.created_at, w.updated_at,
  ${micros(sql`w.created_at`)} as created_us, e.name as enterprise_name`

export interface WarningFilter {
  uscc?: string; branch?: string; level?: string; status?: string; type?: string; from?: string; to?: string
  /** Only warnings of this branch (branch keys). */
  scopeBranch?: string | null
  after?: { us: number; id: string }
  limit: number
}

export async function listWarnings(db: Executor, f: WarningFilter): Promise<WarningRow[]> {
  const where = [sql`true`]
  if (f.uscc) where.push(sql`w.uscc = ${f.uscc}`)
  if (f.branch) where.push(sql`w.branch_id = ${f.branch}`)
  if (f.scopeBranch !== undefined) where.push(f.scopeBranch === null ? sql`false` : sql`w.branch_id = ${f.scopeBranch}`)
  if (f.level) where.push(sql`w.level = ${f.level}`)
  if (f.status) where.push(sql`w.status = ${f.status}`)
  if (f.type) where.push(sql`w.event_type = ${f.type}`)
  if (f.from) where.push(sql`w.created_at >= ${f.from}::timestamptz`)
  if (f.to) where.push(sql`w.created_at < ${f.to}::timestamptz`)
  if (f.after) where.push(beforeKey(sql`w.created_at`, sql`w.id`, f.after))
  const r = await sql<WarningRow>`select ${WARNING_COLUMNS} from warnings w join enterprises e on e.uscc = w.uscc
    where ${sql.join(where, sql` and `)} order by w.created_at desc, w.id desc limit ${f.limit + 1}`.execute(db)
  return r.rows
}

export async function findWarning(db: Executor, id: string, forUpdate = false): Promise<WarningRow | undefined> {
  const r = await sql<WarningRow>`select ${WARNING_COLUMNS} from warnings w join enterprises e on e.uscc = w.uscc
    where w.id = ${id}::uuid ${forUpdate ? sql`for update of w` : sql``}`.execute(db)
  return r.rows[0]
}

export async function warningsOf(db: Executor, usccs: readonly string[]): Promise<WarningRow[]> {
  if (usccs.length === 0) return []
  const r = await sql<WarningRow>`select ${WARNING_COLUMNS} from warnings w join enterprises e on e.uscc = w.uscc
    where w.uscc = any(${[...usccs]}::text[]) order by w.created_at desc, w.id desc`.execute(db)
  return r.rows
}

export interface LinkedEventRow {
  id: string; external_id: string; uscc: string; type: string; severity: number | null; amount: number | null; occurred_at: Date
  source: string; payload: unknown; level: string | null; role: string; linked_at: Date
}

export async function eventsOfWarning(db: Executor, warningId: string): Promise<LinkedEventRow[]> {
  const r = await sql<LinkedEventRow>`select e.id, e.external_id, e.uscc, e.type, e.severity, e.amount, e.occurred_at, e.source, e.payload,
      e.level, we.role, we.at as linked_at
    from warning_events we join risk_events e on e.id = we.event_id where we.warning_id = ${warningId}::uuid
    order by e.occurred_at, e.id`.execute(db)
  return r.rows
}

export type HistoryRow = {
  id: number; warning_id: string; action: string; from_status: string | null; to_status: string; from_level: string | null
  to_level: string; version: number; actor: string; comment: string | null; at: Date
}

export async function historyOf(db: Executor, warningId: string): Promise<HistoryRow[]> {
  const r = await sql<HistoryRow>`select * from warning_history where warning_id = ${warningId}::uuid order by id`.execute(db)
  return r.rows
}

export async function saveTransition(db: Executor, id: string, next: { status: string; resolution: string | null; version: number }): Promise<void> {
  await db.updateTable('warnings').set({ status: next.status, resolution: next.resolution, version: next.version, updated_at: new Date() })
    .where('id', '=', id).execute()
}

export type OutboxRow = { seq: number; txid: number; warning_id: string; uscc: string; branch_id: string | null; level: string; kind: string; payload: unknown; created_at: Date }

/**
 * Outbox rows after (txid, seq), only from transactions older than every transaction still running: a row
 * a slow transaction commits later always sorts after what a reader has already seen, so none is skipped.
 */
export async function readOutbox(db: Executor, after: { txid: number; seq: number } | null, limit: number): Promise<OutboxRow[]> {
  const r = await sql<OutboxRow>`select o.* from warning_outbox o
    where o.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
      ${after ? sql`and (o.txid, o.seq) > (${after.txid}::bigint, ${after.seq}::bigint)` : sql``}
    order by o.txid, o.seq limit ${limit}`.execute(db)
  return r.rows
}

export interface EventFeatures {
  openHighWarnings: number
  dishonestDebtor: boolean
  equityFrozen: boolean
  taxAbnormal: boolean
  lawsuits12m: number
  negativeEvents12m: number
}

/**
 * Event features per USCC as of `asOf` (for the feature assembly): open HIGH warnings (direct or propagated,
 * created by asOf and active now), whether a DISHONEST_DEBTOR / EQUITY_FROZEN / TAX_ABNORMAL event occurred by
 * asOf (the catalogue has no removal events), and LAWSUIT and all risk events in the 12 months up to asOf
 * (half-open: (asOf - 12 months, asOf]). Enterprises without events get zeros.
 */
export async function eventFeatureCounts(db: Executor, usccs: readonly string[], asOf: Date): Promise<Map<string, EventFeatures>> {
  const out = new Map<string, EventFeatures>()
  const unique = [...new Set(usccs)]
  for (const u of unique) out.set(u, { openHighWarnings: 0, dishonestDebtor: false, equityFrozen: false, taxAbnormal: false, lawsuits12m: 0, negativeEvents12m: 0 })
  if (unique.length === 0) return out
  const events = await sql<{ uscc: string; dishonest: boolean; frozen: boolean; tax: boolean; lawsuits: number; negative: number }>`
    select uscc,
      bool_or(type = 'DISHONEST_DEBTOR') as dishonest, bool_or(type = 'EQUITY_FROZEN') as frozen, bool_or(type = 'TAX_ABNORMAL') as tax,
      (count(*) filter (where type = 'LAWSUIT' and occurred_at > ${asOf}::timestamptz - interval '12 months'))::int as lawsuits,
      (count(*) filter (where occurred_at > ${asOf}::timestamptz - interval '12 months'))::int as negative
    from risk_events where uscc = any(${unique}::text[]) and occurred_at <= ${asOf} group by uscc`.execute(db)
  for (const r of events.rows) {
    Object.assign(out.get(r.uscc)!, { dishonestDebtor: r.dishonest, equityFrozen: r.frozen, taxAbnormal: r.tax, lawsuits12m: r.lawsuits, negativeEvents12m: r.negative })
  }
  const high = await sql<{ uscc: string; n: number }>`select w.uscc, count(*)::int as n from warnings w
    where w.uscc = any(${unique}::text[]) and w.level = 'HIGH' and w.created_at <= ${asOf} and ${ACTIVE} group by w.uscc`.execute(db)
  for (const r of high.rows) out.get(r.uscc)!.openHighWarnings = r.n
  return out
}

export async function warningsByIds(db: Executor, ids: readonly string[]): Promise<WarningRow[]> {
  if (ids.length === 0) return []
  const r = await sql<WarningRow>`select ${WARNING_COLUMNS} from warnings w join enterprises e on e.uscc = w.uscc
    where w.id = any(${[...ids]}::uuid[]) order by w.created_at, w.id`.execute(db)
  return r.rows
}
