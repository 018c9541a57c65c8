import type { ColumnType } from 'kysely'

export interface GraphSnapshotsTable {
  id: ColumnType<string, string | undefined, never>
  kind: ColumnType<string, string | undefined, string>
  status: string
  node_count: ColumnType<number, number | undefined, number>
  edge_count: ColumnType<number, number | undefined, number>
  stats: ColumnType<unknown, string | undefined, string>
  created_at: ColumnType<Date, Date | string | undefined, never>
  finished_at: ColumnType<Date | null, Date | undefined, Date>
}

export interface FeatureRowsTable {
  uscc: string
  snapshot_id: string
  /** Graph feature values by catalogue name (booleans as 0/1). */
  values: ColumnType<Record<string, number>, string, string>
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>
}
