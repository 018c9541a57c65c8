import { sql, type RawBuilder } from 'kysely'

/**
 * Newest-first keyset paging on (created_at, id) at the database's own precision: cursors carry microseconds
 * since the epoch, because a JavaScript Date keeps milliseconds and rows written in the same millisecond (or
 * the same transaction, which share now()) would be skipped or repeated across pages.
 */
export const micros = (column: RawBuilder<unknown>): RawBuilder<number> => sql<number>`(extract(epoch from ${column}) * 1000000)::bigint`

/** `(created_at, id) < (cursor)` for the given columns. */
export function beforeKey(createdAt: RawBuilder<unknown>, id: RawBuilder<unknown>, after: { us: number; id: string }): RawBuilder<boolean> {
  return sql<boolean>`(${createdAt}, ${id}) < ((timestamptz 'epoch' + ${after.us}::bigint * interval '1 microsecond'), ${after.id}::uuid)`
}
