import { sql, type Kysely } from 'kysely'

/**
 * The online feature store: one row per enterprise holding its assembled feature vector for one as-of date, so a
 * decision reads "the enterprise's feature row" with one index look-up instead of assembling it from the 工商,
 * 税务, relation, graph and event tables on every request.
 *
 * Freshness is kept by the database itself: every statement that changes a source table bumps the `epoch` of
 * the enterprises it touched and clears their features (statement-level triggers over the transition tables,
 * so a bulk load costs one extra statement, not one per row). The refresher (features/feature-store.ts) writes
 * a vector only if the epoch it read before assembling is still current, so a change that lands meanwhile is
 * never overwritten by older data. Until a row is refreshed, decisions assemble that enterprise live.
 */

/** Source tables: the expression that names the enterprise of a changed row, and which rows count. */
const SOURCES: { table: string; key: string; from?: string; where?: string }[] = [
  { table: 'enterprises', key: 'changed.uscc' },
  { table: 'tax_filings', key: 'changed.uscc' },
  { table: 'feature_rows', key: 'changed.uscc' },
  { table: 'risk_events', key: 'changed.uscc' },
  { table: 'warnings', key: 'changed.uscc' },
  { table: 'relations', key: 'changed.dst_id', where: `changed.dst_type = 'enterprise'` },
  // The legal representative's birth year is a feature (legalRepAge).
  { table: 'persons', key: 'e.uscc', from: 'join enterprises e on e.legal_rep_person_id = changed.id' },
]

const fn = (table: string) => `enterprise_features_touch_${table}`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table enterprise_features (
    uscc text primary key,
    epoch bigint not null default 0,
    as_of date,
    snapshot_id text,
    legal_rep_person_id text,
    features jsonb,
    computed_at timestamptz
  )`.execute(db)
  // What the refresher looks for: cleared rows, and rows of an earlier day.
  await sql`create index enterprise_features_cleared on enterprise_features (uscc) where features is null`.execute(db)
  await sql`create index enterprise_features_as_of on enterprise_features (as_of)`.execute(db)
  for (const s of SOURCES) {
    await sql.raw(`create function ${fn(s.table)}() returns trigger language plpgsql as $$
      begin
        insert into enterprise_features as f (uscc)
          select distinct ${s.key} from changed ${s.from ?? ''} ${s.where ? `where ${s.where}` : ''} order by 1
        on conflict (uscc) do update set epoch = f.epoch + 1, features = null;
        return null;
      end $$`).execute(db)
    // One trigger per event: a transition table belongs to a single event kind.
    await sql.raw(`create trigger ${fn(s.table)}_ins after insert on ${s.table} referencing new table as changed for each statement execute function ${fn(s.table)}()`).execute(db)
    await sql.raw(`create trigger ${fn(s.table)}_upd after update on ${s.table} referencing new table as changed for each statement execute function ${fn(s.table)}()`).execute(db)
    await sql.raw(`create trigger ${fn(s.table)}_del after delete on ${s.table} referencing old table as changed for each statement execute function ${fn(s.table)}()`).execute(db)
  }
  await sql`insert into enterprise_features (uscc) select uscc from enterprises`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const s of SOURCES) {
    for (const kind of ['ins', 'upd', 'del']) await sql.raw(`drop trigger if exists ${fn(s.table)}_${kind} on ${s.table}`).execute(db)
    await sql.raw(`drop function if exists ${fn(s.table)}()`).execute(db)
  }
  await sql`drop table if exists enterprise_features`.execute(db)
}
