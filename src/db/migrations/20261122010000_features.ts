import { sql, type Kysely } from 'kysely'

/** Graph snapshots and the per-enterprise feature rows the graph job writes. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('graph_snapshots')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('full'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('node_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edge_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stats', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute()

  await db.schema.createTable('feature_rows')
    .addColumn('uscc', 'text', (c) => c.primaryKey().references('enterprises.uscc').onDelete('cascade'))
    .addColumn('snapshot_id', 'uuid', (c) => c.notNull())
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feature_rows').ifExists().execute()
  await db.schema.dropTable('graph_snapshots').ifExists().execute()
}
