import type { Migration } from 'kysely/migration'
import * as foundation from './20261122000000_foundation.js'
import * as features from './20261122010000_features.js'
import * as ruleSets from './20261122020000_rule_sets.js'
import * as warnings from './20261122030000_warnings.js'
import * as models from './20261122040000_models.js'
import * as decisions from './20261122050000_decisions.js'
import * as leads from './20261122060000_leads.js'
import * as decisionRecordsInline from './20261122070000_decision_records_inline.js'
import * as enterpriseFeatures from './20261202000000_enterprise_features.js'
import * as decisionRecordsSlim from './20261202010000_decision_records_slim.js'

/** Every migration, by its timestamped name. Add new files here; never edit a landed one. */
export const migrations: Record<string, Migration> = {
  '20261122000000_foundation': foundation,
  '20261122010000_features': features,
  '20261122020000_rule_sets': ruleSets,
  '20261122030000_warnings': warnings,
  '20261122040000_models': models,
  '20261122050000_decisions': decisions,
  '20261122060000_leads': leads,
  '20261122070000_decision_records_inline': decisionRecordsInline,
  '20261202000000_enterprise_features': enterpriseFeatures,
  '20261202010000_decision_records_slim': decisionRecordsSlim,
}
