import { sql, type Kysely } from 'kysely'

/**
 * Model versions (artifact, manifest and golden rows stored together, so any node can load any version) with
 * their serving role, and the score log that monitoring reads over rolling windows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('model_versions')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('manifest', 'jsonb', (c) => c.notNull())
    .addColumn('artifact', 'bytea', (c) => c.notNull())
    .addColumn('reference', 'jsonb')
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('champion', 'challenger', 'shadow', 'staged', 'retired')`))
    .addColumn('traffic', 'float8', (c) => c.notNull().defaultTo(0).check(sql`traffic >= 0 and traffic <= 1`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('promoted_at', 'timestamptz')
    .addColumn('champion_since', 'timestamptz')
    .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
    .execute()
  await sql`create unique index model_versions_one_champion on model_versions (name) where role = 'champion'`.execute(db)
  await sql`create unique index model_versions_one_challenger on model_versions (name) where role = 'challenger'`.execute(db)

  await db.schema.createTable('model_score_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text')
    .addColumn('pd', 'float8', (c) => c.notNull())
    .addColumn('score', 'float8', (c) => c.notNull())
    .addColumn('features', 'jsonb')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('model_score_log_window').on('model_score_log').columns(['name', 'version', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('model_score_log').ifExists().execute()
  await db.schema.dropTable('model_versions').ifExists().execute()
}
