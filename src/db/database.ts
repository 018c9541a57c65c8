import type { Kysely, Transaction } from 'kysely'
import type { ApiKeysTable, AuditLogTable } from '../api-keys/api-keys.table.js'
import type {
  BranchesTable, EnterprisesTable, PersonsTable, RelationsTable, SynthTruthTable, TaxFilingsTable,
} from '../enterprises/enterprises.table.js'
import type { FeatureRowsTable, GraphSnapshotsTable } from '../features/features.table.js'
import type { RuleSetVersionsTable } from '../rules/rules.table.js'

/** Every table the service reads or writes, collected from the domains' *.table.ts files. */
export interface Database {
  branches: BranchesTable
  enterprises: EnterprisesTable
  persons: PersonsTable
  relations: RelationsTable
  tax_filings: TaxFilingsTable
  synth_truth: SynthTruthTable
  graph_snapshots: GraphSnapshotsTable
  feature_rows: FeatureRowsTable
  rule_set_versions: RuleSetVersionsTable
  api_keys: ApiKeysTable
  audit_log: AuditLogTable
}

export type Db = Kysely<Database>
/** Anything a repository function can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
