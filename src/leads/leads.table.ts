import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface OpportunityEventsTable {
  id: string
  external_id: string
  uscc: string
  type: string
  /** yuan, numeric(20, 2) */
  amount: number | null
  occurred_at: Timestamp
  source: string
  payload: ColumnType<unknown, string | null, string | null>
  received_at: Timestamp
}

export interface LeadsTable {
  id: string
  uscc: string
  signal: string
  grade: string
  /** The marketing-response score × the signal's weight the grade was cut from. */
  response_score: number
  weight: number
  products: ColumnType<string[], string, string>
  status: string
  branch_id: string | null
  owner_id: string | null
  version: number
  created_at: Timestamp
  updated_at: Timestamp
}

export interface LeadEventsTable {
  lead_id: string
  event_id: string
}

export interface LeadHistoryTable {
  id: Generated<number>
  lead_id: string
  from_status: string | null
  to_status: string
  actor: string
  note: string | null
  at: Timestamp
}
