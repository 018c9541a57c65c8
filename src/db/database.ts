import type { Kysely, Transaction } from 'kysely'
import type { ApiKeysTable, AuditLogTable } from '../api-keys/api-keys.table.js'
import type {
  BranchesTable, EnterprisesTable, PersonsTable, RelationsTable, SynthTruthTable, TaxFilingsTable,
} from '../enterprises/enterprises.table.js'
import type { DecisionsTable } from '../decisions/decisions.table.js'
import type { EnterpriseFeaturesTable, FeatureRowsTable, GraphSnapshotsTable } from '../features/features.table.js'
import type { LeadEventsTable, LeadHistoryTable, LeadsTable, OpportunityEventsTable } from '../leads/leads.table.js'
import type { ModelScoreLogTable, ModelVersionsTable } from '../models/models.table.js'
import type { RuleSetVersionsTable } from '../rules/rules.table.js'
import type {
  RiskEventsTable, WarningEventsTable, WarningHistoryTable, WarningOutboxTable, WarningsTable,
} from '../warnings/warnings.table.js'

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
  enterprise_features: EnterpriseFeaturesTable
  rule_set_versions: RuleSetVersionsTable
  api_keys: ApiKeysTable
  audit_log: AuditLogTable
  risk_events: RiskEventsTable
  warnings: WarningsTable
  warning_events: WarningEventsTable
  warning_history: WarningHistoryTable
  warning_outbox: WarningOutboxTable
  model_versions: ModelVersionsTable
  model_score_log: ModelScoreLogTable
  decisions: DecisionsTable
  opportunity_events: OpportunityEventsTable
  leads: LeadsTable
  lead_events: LeadEventsTable
  lead_history: LeadHistoryTable
}

export type Db = Kysely<Database>
/** Anything a repository function can run on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>
