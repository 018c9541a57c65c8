import { sql, type Kysely } from 'kysely'

/** Recorded credit decisions: written before the answer leaves, one row per application id. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('decisions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('application_id', 'text', (c) => c.notNull().unique())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('legal_rep_person_id', 'text')
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('request', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('pd', 'float8')
    .addColumn('score', 'float8')
    .addColumn('grade', 'text')
    .addColumn('limit_amount', 'numeric(20, 2)')
    .addColumn('rate_bps', 'integer')
    .addColumn('reasons', 'jsonb', (c) => c.notNull())
    .addColumn('trace', 'jsonb', (c) => c.notNull())
    .addColumn('features', 'jsonb', (c) => c.notNull())
    .addColumn('rule_versions', 'jsonb', (c) => c.notNull())
    .addColumn('model_versions', 'jsonb', (c) => c.notNull())
    .addColumn('shadow_scores', 'jsonb')
    .addColumn('response', 'jsonb', (c) => c.notNull())
    .addColumn('latency_us', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('decisions_uscc_idx').on('decisions').columns(['uscc', 'created_at']).execute()
  await db.schema.createIndex('decisions_created_idx').on('decisions').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('decisions_legal_rep_idx').on('decisions').columns(['legal_rep_person_id', 'created_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('decisions').ifExists().execute()
}
