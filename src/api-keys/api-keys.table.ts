import type { ColumnType, Generated } from 'kysely'

export interface ApiKeysTable {
  id: Generated<string>
  name: string
  key_hash: string
  role: string
  branch_id: string | null
  created_at: ColumnType<Date, Date | string | undefined, never>
  revoked_at: Date | null
}

export interface AuditLogTable {
  id: Generated<number>
  actor: string
  action: string
  target: string
  diff: unknown
  at: ColumnType<Date, Date | string | undefined, never>
}
