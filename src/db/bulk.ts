import { sql, type RawBuilder } from 'kysely'
import type { Executor } from './database.js'

export interface BulkColumn {
  name: string
  /** PostgreSQL element type of the unnest array, e.g. 'text', 'numeric', 'date', 'bool', 'jsonb'. */
  type: string
  /** SQL expression over the unnested value `v` when the stored form differs (e.g. jsonb → text[]). */
  expr?: (v: RawBuilder<unknown>) => RawBuilder<unknown>
}

const CHUNK = 5_000

/**
 * Multi-row upsert through one array parameter per column (INSERT … SELECT FROM unnest(…) ON CONFLICT …):
 * a statement per 5,000 rows with as many parameters as columns, on pg and PGlite alike.
 */
export async function bulkUpsert(
  db: Executor, table: string, columns: readonly BulkColumn[], rows: readonly unknown[][],
  conflict: { target: readonly string[]; update: readonly string[]; touch?: string },
): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK)
    const arrays = columns.map((_, c) => chunk.map((r) => r[c] ?? null))
    const unnestArgs = sql.join(columns.map((col, c) => sql`${arrays[c]}::${sql.raw(col.type)}[]`))
    const aliases = columns.map((_, c) => `c${c}`)
    const selectList = sql.join(columns.map((col, c) => {
      const ref = sql.ref(`u.${aliases[c]}`)
      return col.expr ? col.expr(ref as RawBuilder<unknown>) : ref
    }))
    const names = sql.join(columns.map((c) => sql.ref(c.name)))
    const target = sql.join(conflict.target.map((c) => sql.ref(c)))
    const sets = [...conflict.update.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`)]
    if (conflict.touch) sets.push(sql`${sql.ref(conflict.touch)} = now()`)
    const onConflict = sets.length > 0 ? sql`do update set ${sql.join(sets)}` : sql`do nothing`
    await sql`insert into ${sql.table(table)} (${names})
      select ${selectList} from unnest(${unnestArgs}) as u(${sql.raw(aliases.join(', '))})
      on conflict (${target}) ${onConflict}`.execute(db)
  }
}
