import { sql, type Kysely } from 'kysely'

/** Rule-set versions: proposed → active → retired (or rejected); at most one active version per rule set. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rule_set_versions')
    .addColumn('rule_set_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('activated_at', 'timestamptz')
    .addColumn('notes', 'jsonb')
    .addPrimaryKeyConstraint('rule_set_versions_pk', ['rule_set_id', 'version'])
    .execute()
  await sql`create unique index rule_set_versions_one_active on rule_set_versions (rule_set_id) where status = 'active'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rule_set_versions').ifExists().execute()
}
