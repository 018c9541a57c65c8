import type { ColumnType } from 'kysely'

export type RuleSetStatus = 'proposed' | 'active' | 'retired' | 'rejected'

export interface RuleSetVersionsTable {
  rule_set_id: string
  version: string
  content: ColumnType<unknown, string, string>
  content_hash: string
  status: RuleSetStatus
  proposed_by: string
  approved_by: string | null
  created_at: ColumnType<Date, Date | string | undefined, never>
  activated_at: Date | null
  notes: ColumnType<unknown, string | null, string | null>
}
