import { sql } from 'kysely'
import type { Executor } from '../db/database.js'
import { beforeKey, micros } from '../db/keyset.js'

export interface OpportunityEventRecord {
  id: string; externalId: string; uscc: string; type: string; amount: number | null; occurredAt: string; source: string; payload: unknown
}

/** Inserts the events whose externalId is new; returns the external ids actually inserted (race-safe). */
export async function insertEvents(db: Executor, rows: readonly OpportunityEventRecord[]): Promise<Set<string>> {
  const inserted = new Set<string>()
  for (let start = 0; start < rows.length; start += 5_000) {
    const chunk = rows.slice(start, start + 5_000)
    const a = <T>(f: (r: OpportunityEventRecord) => T) => chunk.map(f)
    const result = await sql<{ external_id: string }>`
      insert into opportunity_events (id, external_id, uscc, type, amount, occurred_at, source, payload)
      select * from unnest(${a((r) => r.id)}::uuid[], ${a((r) => r.externalId)}::text[], ${a((r) => r.uscc)}::text[],
        ${a((r) => r.type)}::text[], ${a((r) => r.amount)}::numeric[], ${a((r) => r.occurredAt)}::timestamptz[],
        ${a((r) => r.source)}::text[], ${a((r) => (r.payload === null || r.payload === undefined ? null : JSON.stringify(r.payload)))}::jsonb[])
      on conflict (external_id) do nothing
      returning external_id`.execute(db)
    for (const r of result.rows) inserted.add(r.external_id)
  }
  return inserted
}

export interface Placement {
  uscc: string; customerBranchId: string | null; managerId: string | null; regionBranchId: string | null; lat: number | null; lng: number | null
}

/**
 * Where each enterprise's lead belongs: its customer branch and relationship manager, else the branch serving its
 * region (same first 4 digits of the region code; an exact match first, then the lowest id). Coordinates for the rest.
 */
export async function placements(db: Executor, usccs: readonly string[]): Promise<Map<string, Placement>> {
  if (usccs.length === 0) return new Map()
  const r = await sql<{ uscc: string; customer_branch_id: string | null; relationship_manager_id: string | null; region_branch: string | null; lat: number | null; lng: number | null }>`
    select e.uscc, e.customer_branch_id, e.relationship_manager_id, e.lat, e.lng,
      (select b.id from branches b where left(b.region_code, 4) = left(e.region_code, 4)
        order by (b.region_code = e.region_code) desc, b.id limit 1) as region_branch
    from enterprises e where e.uscc = any(${[...new Set(usccs)]}::text[])`.execute(db)
  return new Map(r.rows.map((x) => [x.uscc, {
    uscc: x.uscc, customerBranchId: x.customer_branch_id, managerId: x.relationship_manager_id, regionBranchId: x.region_branch,
    lat: x.lat === null ? null : Number(x.lat), lng: x.lng === null ? null : Number(x.lng),
  }]))
}

export async function branchLocations(db: Executor): Promise<{ id: string; lat: number; lng: number }[]> {
  const rows = await db.selectFrom('branches').select(['id', 'lat', 'lng']).orderBy('id').execute()
  return rows.map((b) => ({ id: b.id, lat: Number(b.lat), lng: Number(b.lng) }))
}

export async function findBranch(db: Executor, id: string) {
  return db.selectFrom('branches').select(['id', 'lat', 'lng']).where('id', '=', id).executeTakeFirst()
}

export interface LeadRow {
  id: string; uscc: string; signal: string; grade: string; response_score: number; weight: number; products: string[]; status: string
  branch_id: string | null; owner_id: string | null; version: number; created_at: Date; updated_at: Date; enterprise_name?: string | null
}

/** The open lead of (uscc, signal), locked for update. */
export async function lockOpenLead(db: Executor, uscc: string, signal: string): Promise<LeadRow | undefined> {
  const r = await sql<LeadRow>`select * from leads where uscc = ${uscc} and signal = ${signal} and status not in ('WON', 'CLOSED') for update`.execute(db)
  return r.rows[0]
}

export interface NewLead {
  id: string; uscc: string; signal: string; grade: string; responseScore: number; weight: number; products: string[]
  branchId: string | null; ownerId: string | null
}

/** Inserts an UNCLAIMED lead unless an open one exists for (uscc, signal); true when inserted. */
export async function insertLead(db: Executor, l: NewLead): Promise<boolean> {
  const r = await sql<{ id: string }>`
    insert into leads (id, uscc, signal, grade, response_score, weight, products, status, branch_id, owner_id)
    values (${l.id}, ${l.uscc}, ${l.signal}, ${l.grade}, ${l.responseScore}, ${l.weight}, ${JSON.stringify(l.products)}::jsonb, 'UNCLAIMED', ${l.branchId}, ${l.ownerId})
    on conflict (uscc, signal) where status not in ('WON', 'CLOSED') do nothing returning id`.execute(db)
  return r.rows.length > 0
}

export async function raiseLead(db: Executor, id: string, v: { grade: string; responseScore: number; weight: number; version: number }): Promise<void> {
  await db.updateTable('leads')
    .set({ grade: v.grade, response_score: v.responseScore, weight: v.weight, version: v.version, updated_at: sql<Date>`now()` })
    .where('id', '=', id).execute()
}

export async function touchLead(db: Executor, id: string): Promise<void> {
  await db.updateTable('leads').set({ updated_at: sql<Date>`now()` }).where('id', '=', id).execute()
}

export async function linkEvents(db: Executor, leadId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return
  await db.insertInto('lead_events').values(eventIds.map((e) => ({ lead_id: leadId, event_id: e }))).onConflict((oc) => oc.doNothing()).execute()
}

export async function appendHistory(db: Executor, e: { leadId: string; from: string | null; to: string; actor: string; note: string | null }): Promise<void> {
  await db.insertInto('lead_history').values({ lead_id: e.leadId, from_status: e.from, to_status: e.to, actor: e.actor, note: e.note }).execute()
}

export async function findLead(db: Executor, id: string, forUpdate = false): Promise<LeadRow | undefined> {
  const r = await sql<LeadRow>`select l.* from leads l where l.id = ${id} ${forUpdate ? sql`for update` : sql``}`.execute(db)
  return r.rows[0]
}

/** Claims the lead if it is still UNCLAIMED (a conditional update: of concurrent claims exactly one matches). */
export async function claimLead(db: Executor, id: string, ownerId: string): Promise<LeadRow | undefined> {
  const r = await sql<LeadRow>`update leads set status = 'FOLLOWING', owner_id = ${ownerId}, version = version + 1, updated_at = now()
    where id = ${id} and status = 'UNCLAIMED' returning *`.execute(db)
  return r.rows[0]
}

export async function setStatus(db: Executor, id: string, status: string, version: number): Promise<void> {
  await db.updateTable('leads').set({ status, version, updated_at: sql<Date>`now()` }).where('id', '=', id).execute()
}

export async function eventsOfLead(db: Executor, id: string) {
  return db.selectFrom('lead_events').innerJoin('opportunity_events', 'opportunity_events.id', 'lead_events.event_id')
    .select(['opportunity_events.id', 'opportunity_events.external_id', 'opportunity_events.type', 'opportunity_events.amount',
      'opportunity_events.occurred_at', 'opportunity_events.source', 'opportunity_events.payload'])
    .where('lead_events.lead_id', '=', id).orderBy('opportunity_events.occurred_at').orderBy('opportunity_events.id').execute()
}

export async function historyOf(db: Executor, id: string) {
  return db.selectFrom('lead_history').select(['from_status', 'to_status', 'actor', 'note', 'at']).where('lead_id', '=', id).orderBy('id').execute()
}

export interface LeadFilter {
  uscc?: string; branch?: string; status?: string; grade?: string; signal?: string; owner?: string
  scopeBranch?: string | null; after?: { us: number; id: string }; limit: number
}

export type ListedLead = LeadRow & { created_us: number }

/** Leads newest first, keyset-paged on (created_at, id); reads one row more than the limit. */
export async function listLeads(db: Executor, f: LeadFilter): Promise<ListedLead[]> {
  const conds = [sql`true`]
  if (f.uscc) conds.push(sql`l.uscc = ${f.uscc}`)
  if (f.branch) conds.push(sql`l.branch_id = ${f.branch}`)
  if (f.status) conds.push(sql`l.status = ${f.status}`)
  if (f.grade) conds.push(sql`l.grade = ${f.grade}`)
  if (f.signal) conds.push(sql`l.signal = ${f.signal}`)
  if (f.owner) conds.push(sql`l.owner_id = ${f.owner}`)
  if (f.scopeBranch !== undefined) conds.push(f.scopeBranch === null ? sql`false` : sql`l.branch_id = ${f.scopeBranch}`)
  if (f.after) conds.push(beforeKey(sql`l.created_at`, sql`l.id`, f.after))
  const r = await sql<ListedLead>`
    select l.*, ${micros(sql`l.created_at`)} as created_us from leads l
    where ${sql.join(conds, sql` and `)} order by l.created_at desc, l.id desc limit ${f.limit + 1}`.execute(db)
  return r.rows.map((x) => ({ ...x, created_us: Number(x.created_us) }))
}

/** Lead counts by branch, signal and status (the funnel). */
export async function funnel(db: Executor, scopeBranch: string | null | undefined) {
  const scope = scopeBranch === undefined ? sql`true` : scopeBranch === null ? sql`false` : sql`l.branch_id = ${scopeBranch}`
  const r = await sql<{ branch_id: string | null; signal: string; status: string; n: number }>`
    select l.branch_id, l.signal, l.status, count(*)::int as n from leads l where ${scope}
    group by l.branch_id, l.signal, l.status order by l.branch_id nulls first, l.signal, l.status`.execute(db)
  return r.rows.map((x) => ({ ...x, n: Number(x.n) }))
}

/** UNCLAIMED leads created before `before`, oldest first. */
export async function overdue(db: Executor, before: Date, scopeBranch: string | null | undefined, limit: number) {
  const scope = scopeBranch === undefined ? sql`true` : scopeBranch === null ? sql`false` : sql`l.branch_id = ${scopeBranch}`
  const r = await sql<LeadRow>`select l.* from leads l where l.status = 'UNCLAIMED' and l.created_at < ${before} and ${scope}
    order by l.created_at, l.id limit ${limit}`.execute(db)
  return r.rows
}

/** Prospects (no customer branch) with coordinates inside the box, at most `cap` of them. */
export async function prospectsInBox(db: Executor, box: { minLat: number; maxLat: number; minLng: number; maxLng: number }, cap: number) {
  const r = await sql<{ uscc: string; name: string; lat: number; lng: number }>`
    select e.uscc, e.name, e.lat, e.lng from enterprises e
    where e.customer_branch_id is null and not e.blacklisted
      and e.lat between ${box.minLat} and ${box.maxLat} and e.lng between ${box.minLng} and ${box.maxLng}
    order by e.uscc limit ${cap}`.execute(db)
  return r.rows.map((x) => ({ ...x, lat: Number(x.lat), lng: Number(x.lng) }))
}

/** A model version's stored manifest. */
export async function modelManifest(db: Executor, name: string, version: string): Promise<unknown> {
  const row = await db.selectFrom('model_versions').select('manifest').where('name', '=', name).where('version', '=', version).executeTakeFirst()
  return row?.manifest
}
