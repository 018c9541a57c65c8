import type { ColumnType } from 'kysely'

export interface GraphSnapshotsTable {
  id: ColumnType<string, string | undefined, never>
  kind: string
  status: string
  node_count: number
  edge_count: number
  stats: unknown
  created_at: ColumnType<Date, Date | string | undefined, never>
  finished_at: Date | null
}

export interface FeatureRowsTable {
  uscc: string
  snapshot_id: string
  /** Graph feature values by catalogue name (booleans as 0/1). */
  values: ColumnType<Record<string, number>, string, string>
  computed_at: ColumnType<Date, Date | string | undefined, Date | string>
}
