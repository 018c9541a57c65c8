/**
 * Facts a rule may use: the feature catalogue for every set, plus "context facts" that describe the thing
 * being classified (a risk event, a relation, an opportunity) for the warning and lead sets. The linter
 * accepts exactly these names for a set and checks condition values against their types.
 */
import { FEATURES, type FeatureDef } from '../features/catalog.js'
import { RELATION_TYPES, RISK_EVENT_CODES, WARNING_LEVELS } from './event-types.js'
import { OPPORTUNITY_CODES } from './opportunity-types.js'

export type FactType = 'number' | 'boolean' | 'category' | 'string' | 'object' | 'array'

export interface FactSpec {
  name: string
  type: FactType
  zh: string
  en: string
  range?: { min: number; max: number }
  categories?: readonly string[]
}

export type FactCatalog = ReadonlyMap<string, FactSpec>

function num(name: string, zh: string, en: string, min: number, max: number): FactSpec {
  return { name, type: 'number', zh, en, range: { min, max } }
}
function cat(name: string, zh: string, en: string, categories: readonly string[]): FactSpec {
  return { name, type: 'category', zh, en, categories }
}

const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'] as const

/** Context facts per rule-set id. Sets not listed here see only the feature catalogue. */
export const CONTEXT_FACTS: Readonly<Record<string, readonly FactSpec[]>> = {
  'warning-levels': [
    cat('eventType', '风险事件类型', 'Risk event type code', RISK_EVENT_CODES),
    num('eventSeverity', '来源严重程度(1-5)', 'Severity given by the data source, 1 (minor) to 5 (severe)', 1, 5),
    num('sentiment', '舆情情感分', 'News sentiment, -1 (very negative) to 1 (positive)', -1, 1),
    num('amount', '涉及金额(元)', 'Amount involved, yuan', 0, 1e15),
    num('occurrences12m', '近12个月同类事件次数', 'Events of the same type in the last 12 months, this one included', 0, 1e6),
    num('durationDays', '持续天数', 'Days the condition has lasted (e.g. on the abnormal-operation list)', 0, 1e5),
    num('changeRatio', '变动比例', 'Relative change (e.g. -0.3 = fell 30%)', -1e3, 1e3),
    num('ratio', '涉及比例', 'Share involved (e.g. share of equity pledged), 0 to 1', 0, 1),
    cat('newTaxGrade', '下调后纳税等级', 'Tax credit grade after the change', TAX_GRADES),
  ],
  'warning-propagation': [
    cat('relationType', '关联维度', 'Relation dimension from the warned party to this enterprise', RELATION_TYPES),
    num('shareholdingRatio', '持股比例', 'Shareholding ratio along the relation, 0 to 1', 0, 1),
    num('tradeShare', '交易占比', 'Share of purchases or sales with the counterparty, 0 to 1', 0, 1),
    num('depth', '关联层级', 'Hops from the warned enterprise (1 or 2)', 1, 2),
    cat('sourceLevel', '源预警等级', 'Level of the warning being propagated', WARNING_LEVELS),
    cat('guaranteeRole', '担保角色', 'This enterprise guarantees the warned party (GUARANTOR) or is guaranteed by it (GUARANTEED)', ['GUARANTOR', 'GUARANTEED']),
  ],
  'lead-signals': [
    cat('opportunityType', '商机类型', 'Opportunity event type code', OPPORTUNITY_CODES),
    num('amount', '涉及金额(元)', 'Amount involved, yuan', 0, 1e15),
  ],
}

function fromFeature(f: FeatureDef): FactSpec {
  const spec: FactSpec = { name: f.name, type: f.type, zh: f.zh, en: f.en }
  if (f.range) spec.range = f.range
  if (f.categories) spec.categories = f.categories
  return spec
}

const FEATURE_FACTS: readonly FactSpec[] = FEATURES.map(fromFeature)
const catalogs = new Map<string, FactCatalog>()

/** The facts a rule set with this id may reference: catalogue features plus its context facts. */
export function factCatalogFor(ruleSetId: string): FactCatalog {
  let catalog = catalogs.get(ruleSetId)
  if (!catalog) {
    const context = CONTEXT_FACTS[ruleSetId] ?? []
    catalog = new Map([...FEATURE_FACTS, ...context].map((f) => [f.name, f]))
    catalogs.set(ruleSetId, catalog)
  }
  return catalog
}
