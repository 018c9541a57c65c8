import type { LoggedFeatures } from './score-log.js'
import type { ColumnType, Generated } from 'kysely'

export type ModelRole = 'champion' | 'challenger' | 'shadow' | 'staged' | 'retired'
export const MODEL_ROLES: readonly ModelRole[] = ['champion', 'challenger', 'shadow', 'staged', 'retired']

export interface ModelVersionsTable {
  name: string
  version: string
  kind: string
  manifest: ColumnType<unknown, string, string>
  artifact: ColumnType<Uint8Array, Uint8Array, never>
  reference: ColumnType<unknown, string | null, never>
  sha256: string
  role: ModelRole
  /** The challenger's share of traffic (0..1); 0 for every other role. */
  traffic: ColumnType<number, number | undefined, number>
  created_by: string
  created_at: ColumnType<Date, Date | string | undefined, never>
  promoted_at: ColumnType<Date | null, Date | undefined, Date | null>
  /** When the version last became champion; cleared when a rollback demotes it, so rollbacks walk back in time. */
  champion_since: ColumnType<Date | null, Date | undefined, Date | null>
}

export interface ModelScoreLogTable {
  id: Generated<number>
  name: string
  version: string
  /** champion | challenger | shadow | batch */
  role: string
  uscc: string | null
  pd: number
  score: number
  /** The vectorised input values by model feature name (null = missing), for CSI and missing rates. */
  /** The inputs in manifest order (older rows: by feature name), see score-log.ts. */
  features: ColumnType<LoggedFeatures | null, string | null, never>
  at: ColumnType<Date, Date | string | undefined, never>
}
