import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T> = ColumnType<T, string, string>

export interface RiskEventsTable {
  id: string
  external_id: string
  uscc: string
  type: string
  severity: number | null
  /** yuan, numeric(20, 2) */
  amount: number | null
  occurred_at: Timestamp
  source: string
  payload: ColumnType<unknown, string | null, string | null>
  /** The level warning-levels gave the event (null: no warning). */
  level: string | null
  reasons: Json<string[]>
  rule_version: string | null
  received_at: Timestamp
}

export interface WarningsTable {
  id: string
  uscc: string
  level: string
  status: string
  /** CONFIRMED or DISMISSED once decided; stays after REPORTED and CLOSED. */
  resolution: string | null
  branch_id: string | null
  event_type: string
  source_event_id: string | null
  propagated_from_uscc: string | null
  propagated_from_warning_id: string | null
  dimension: string | null
  relation_path: ColumnType<unknown, string | null, string | null>
  reasons: Json<string[]>
  event_count: number
  merged_count: number
  first_event_at: Timestamp
  last_event_at: Timestamp
  assignee: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface WarningEventsTable {
  warning_id: string
  event_id: string
  role: string
  level: string | null
  at: Timestamp
}

export interface WarningHistoryTable {
  id: Generated<number>
  warning_id: string
  action: string
  from_status: string | null
  to_status: string
  from_level: string | null
  to_level: string
  version: number
  actor: string
  comment: string | null
  at: Timestamp
}

export interface WarningOutboxTable {
  seq: Generated<number>
  txid: Generated<number>
  warning_id: string
  uscc: string
  branch_id: string | null
  level: string
  kind: string
  payload: ColumnType<unknown, string, string>
  created_at: Timestamp
}
