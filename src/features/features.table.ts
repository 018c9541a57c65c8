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

/** The online feature store (see the enterprise_features migration): one assembled feature vector per enterprise. */
export interface EnterpriseFeaturesTable {
  uscc: string
  /** Bumped by the source tables' triggers on every change to the enterprise's data. */
  epoch: ColumnType<number, number | undefined, number>
  /** The as-of date the vector was assembled for ('YYYY-MM-DD'); the vector serves decisions of that day only. */
  as_of: string | null
  snapshot_id: string | null
  legal_rep_person_id: string | null
  /** The assembled vector by catalogue name; null while the row waits for the refresher. */
  features: ColumnType<Record<string, number | boolean | string | null> | null, string | null, string | null>
  computed_at: ColumnType<Date | null, Date | string | undefined, Date | string>
}
