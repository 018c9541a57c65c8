import type { ColumnType, Generated } from 'kysely'

type Json = ColumnType<unknown, string, string>

export interface DecisionsTable {
  id: Generated<string>
  application_id: string
  request_hash: string
  uscc: string
  legal_rep_person_id: string | null
  product: string
  channel: string | null
  request: Json
  outcome: string
  pd: number | null
  score: number | null
  grade: string | null
  limit_amount: number | null
  rate_bps: number | null
  reasons: Json
  trace: Json
  features: Json
  rule_versions: Json
  model_versions: Json
  shadow_scores: ColumnType<unknown, string | null, string | null>
  /** The answer as sent, only on rows recorded before 2026-12-02; newer answers are rebuilt from the columns. */
  response: ColumnType<unknown, string | null | undefined, string | null>
  feature_snapshot: string | null
  latency_us: number
  created_by: string
  created_at: ColumnType<Date, Date | string | undefined, never>
}
