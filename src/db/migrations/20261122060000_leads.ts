import { sql, type Kysely } from 'kysely'

/**
 * Opportunity (商机) events, the leads they open, the links between the two and each lead's workflow history.
 * The partial unique index keeps at most one open lead per (enterprise, signal); WON and CLOSED leads are done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('opportunity_events')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('external_id', 'text', (c) => c.notNull().unique())
    .addColumn('uscc', 'text', (c) => c.notNull().references('enterprises.uscc'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('amount', 'numeric(20, 2)')
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('opportunity_events_uscc_idx').on('opportunity_events').columns(['uscc', 'occurred_at']).execute()

  await db.schema.createTable('leads')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('uscc', 'text', (c) => c.notNull().references('enterprises.uscc'))
    .addColumn('signal', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('response_score', 'double precision', (c) => c.notNull())
    .addColumn('weight', 'double precision', (c) => c.notNull())
    .addColumn('products', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('branch_id', 'text', (c) => c.references('branches.id'))
    .addColumn('owner_id', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`create unique index leads_one_open on leads (uscc, signal) where status not in ('WON', 'CLOSED')`.execute(db)
  await db.schema.createIndex('leads_created_idx').on('leads').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('leads_branch_status_idx').on('leads').columns(['branch_id', 'status', 'created_at']).execute()

  await db.schema.createTable('lead_events')
    .addColumn('lead_id', 'uuid', (c) => c.notNull().references('leads.id'))
    .addColumn('event_id', 'uuid', (c) => c.notNull().references('opportunity_events.id'))
    .addPrimaryKeyConstraint('lead_events_pk', ['lead_id', 'event_id'])
    .execute()
  await db.schema.createIndex('lead_events_event_idx').on('lead_events').columns(['event_id']).execute()

  await db.schema.createTable('lead_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('lead_id', 'uuid', (c) => c.notNull().references('leads.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('lead_history_lead_idx').on('lead_history').columns(['lead_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lead_history').execute()
  await db.schema.dropTable('lead_events').execute()
  await db.schema.dropTable('leads').execute()
  await db.schema.dropTable('opportunity_events').execute()
}
