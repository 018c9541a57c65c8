/**
 * The feature catalogue: every feature the engine knows, declared once. Rules use these names as facts,
 * model manifests list them, and the assembly (serving and training) produces exactly these values.
 */
export type FeatureType = 'number' | 'boolean' | 'category'
export type FeatureSource = '工商' | '税务' | 'graph' | 'events' | 'application'
/** What to do when a value is absent: keep it missing (NaN for models, undefined for rules), or use a default. */
export type MissingPolicy = 'missing' | 'zero' | 'false'
/** +1: a larger value means higher risk (PD rises); -1: lower risk; 0: no declared direction. */
export type Monotone = -1 | 0 | 1

export interface FeatureDef {
  name: string
  type: FeatureType
  unit: string
  source: FeatureSource
  zh: string
  en: string
  /** Inclusive range for numbers; allowed values for categories. */
  range?: { min: number; max: number }
  categories?: readonly string[]
  missing: MissingPolicy
  monotone: Monotone
}

const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'] as const
export const PRODUCT_CODES = ['TAX_LOAN', 'TECH_LOAN', 'GOV_PROCUREMENT_LOAN'] as const

function num(
  name: string, source: FeatureSource, unit: string, zh: string, en: string,
  min: number, max: number, monotone: Monotone = 0, missing: MissingPolicy = 'missing',
): FeatureDef {
  return { name, type: 'number', unit, source, zh, en, range: { min, max }, missing, monotone }
}
function bool(name: string, source: FeatureSource, zh: string, en: string, monotone: Monotone = 0): FeatureDef {
  return { name, type: 'boolean', unit: 'flag', source, zh, en, missing: 'false', monotone }
}
function cat(name: string, source: FeatureSource, zh: string, en: string, categories: readonly string[]): FeatureDef {
  return { name, type: 'category', unit: 'code', source, zh, en, categories, missing: 'missing', monotone: 0 }
}

const BIG = 1e15

const GNN_DIMS = 16
const gnn: FeatureDef[] = Array.from({ length: GNN_DIMS }, (_, i) =>
  num(`gnnEmbedding${i}`, 'graph', 'embedding', `图嵌入第${i}维`, `Graph embedding dimension ${i}`, -1e6, 1e6))

export const FEATURES: readonly FeatureDef[] = [
  // 工商 business registration
  num('entAgeMonths', '工商', 'months', '企业成立月数', 'Months since establishment', 0, 2400, -1),
  num('registeredCapitalLog', '工商', 'ln(yuan)', '注册资本(对数)', 'Registered capital, natural log of yuan', 0, 40, -1),
  num('paidInRatio', '工商', 'ratio', '实缴资本占比', 'Paid-in over registered capital', 0, 10, -1),
  num('employees', '工商', 'persons', '从业人数', 'Number of employees', 0, 10_000_000, -1),
  num('industryRiskIndex', '工商', 'index', '行业风险指数', 'Industry base risk index (1 = average)', 0, 10, 1),
  bool('isListed', '工商', '是否上市', 'Listed company', -1),
  bool('isHighTech', '工商', '是否高新技术企业', 'Certified high-tech enterprise', -1),
  bool('abnormalOperation', '工商', '经营异常', 'Listed for abnormal operation', 1),
  num('legalRepAge', '工商', 'years', '法定代表人年龄', 'Age of the legal representative', 0, 120, 0),
  num('legalRepChanges12m', '工商', 'count', '近12个月法定代表人变更次数', 'Legal representative changes, last 12 months', 0, 100, 1, 'zero'),
  num('shareholderChanges12m', '工商', 'count', '近12个月股东变更次数', 'Shareholder changes, last 12 months', 0, 1000, 1, 'zero'),
  bool('blacklisted', '工商', '本企业在黑名单', 'The enterprise itself is blacklisted', 1),
  cat('industrySection', '工商', '行业门类', 'Industry section (GB/T 4754 letter)', 'ABCDEFGHIJKLMNOPQRST'.split('')),
  // 税务 tax
  cat('taxCreditGrade', '税务', '纳税信用等级', 'Tax credit grade (A/B/M/C/D)', TAX_GRADES),
  num('taxRevenue12m', '税务', 'yuan', '近12个月申报收入', 'Declared revenue, last 12 months', 0, BIG, -1),
  num('taxRevenueGrowthYoY', '税务', 'ratio', '申报收入同比增长', 'Declared revenue growth year on year', -1, 1000, -1),
  num('taxRevenueTrend6m', '税务', 'ratio', '近6个月申报收入环比(对前6个月)', 'Declared revenue of the last 6 months over the 6 before, minus 1', -1, 1000, -1),
  num('taxPaid12m', '税务', 'yuan', '近12个月纳税额', 'Tax paid, last 12 months', 0, BIG, -1),
  num('zeroFilingMonthsConsecutive', '税务', 'months', '连续零申报月数', 'Consecutive zero-filing months up to the latest period', 0, 600, 1, 'zero'),
  num('zeroFilingMonths12m', '税务', 'months', '近12个月零申报月数', 'Zero-filing months, last 12 months', 0, 12, 1, 'zero'),
  num('lateFilings24m', '税务', 'count', '近24个月逾期申报次数', 'Late filings, last 24 months', 0, 24, 1, 'zero'),
  bool('taxArrears', '税务', '存在欠税', 'Tax in arrears', 1),
  num('taxFilingMonths', '税务', 'months', '有申报记录的月数', 'Months with a tax filing on record', 0, 600, -1, 'zero'),
  // graph
  num('blacklistWithin1Hop', 'graph', 'count', '一度关联黑名单主体数', 'Blacklisted parties within 1 hop', 0, 1e6, 1, 'zero'),
  num('blacklistWithin2Hops', 'graph', 'count', '二度关联黑名单主体数', 'Blacklisted parties within 2 hops', 0, 1e6, 1, 'zero'),
  num('defaultedNeighbours1Hop', 'graph', 'count', '一度关联违约/高预警企业数', 'Defaulted or high-warning neighbours within 1 hop', 0, 1e6, 1, 'zero'),
  num('neighbourRiskScore', 'graph', 'score', '关联方风险分(时间衰减)', 'Time-decayed, edge-weighted neighbour risk score', 0, 1e6, 1, 'zero'),
  bool('inGuaranteeCircle', 'graph', '处于担保圈', 'Part of a guarantee circle (cycle of guarantees)', 1),
  num('guaranteeChainLength', 'graph', 'hops', '担保链长度', 'Longest guarantee chain through the enterprise', 0, 1e6, 1, 'zero'),
  num('guaranteeExposureRatio', 'graph', 'ratio', '对外担保金额/注册资本', 'Guarantees given over registered capital', 0, 1e6, 1, 'zero'),
  num('communitySize', 'graph', 'count', '共享属性社区规模', 'Size of the shared-attribute community', 1, 1e7, 1, 'zero'),
  num('communityRiskShare', 'graph', 'ratio', '社区风险企业占比', 'Share of risky firms in the community', 0, 1, 1, 'zero'),
  bool('gangFlag', 'graph', '疑似团伙', 'Suspected gang (firms sharing phone, address or legal representative)', 1),
  num('sharedPhoneFirms', 'graph', 'count', '共用电话企业数', 'Other firms sharing the phone number', 0, 1e6, 1, 'zero'),
  num('sharedAddressFirms', 'graph', 'count', '共用地址企业数', 'Other firms sharing the address', 0, 1e6, 1, 'zero'),
  num('sharedLegalRepFirms', 'graph', 'count', '同一法定代表人企业数', 'Other firms with the same legal representative', 0, 1e6, 1, 'zero'),
  num('pageRank', 'graph', 'score', 'PageRank 中心性', 'PageRank centrality (scaled to mean 1)', 0, 1e9, 0, 'zero'),
  num('defaultProximity', 'graph', 'score', '违约个性化PageRank', 'Personalised PageRank seeded on defaulters', 0, 1e9, 1, 'zero'),
  num('degreeShareholder', 'graph', 'count', '股东关系度数', 'Degree on SHAREHOLDER edges', 0, 1e7, 0, 'zero'),
  num('degreeGuarantee', 'graph', 'count', '担保关系度数', 'Degree on GUARANTEE edges', 0, 1e7, 1, 'zero'),
  num('degreeSupply', 'graph', 'count', '供应链关系度数', 'Degree on SUPPLIER and CUSTOMER edges', 0, 1e7, 0, 'zero'),
  ...gnn,
  // events
  num('openHighWarnings', 'events', 'count', '未结预警(高)数', 'Open HIGH warnings', 0, 1e6, 1, 'zero'),
  num('lawsuits12m', 'events', 'count', '近12个月诉讼数', 'Lawsuits, last 12 months', 0, 1e6, 1, 'zero'),
  bool('dishonestDebtor', 'events', '失信被执行人', 'Listed as a dishonest judgment debtor', 1),
  bool('equityFrozen', 'events', '股权冻结', 'Equity frozen', 1),
  bool('taxAbnormal', 'events', '税务非正常户', 'Abnormal taxpayer status', 1),
  num('negativeEvents12m', 'events', 'count', '近12个月负面事件数', 'Negative risk events, last 12 months', 0, 1e6, 1, 'zero'),
  // application
  num('requestedAmount', 'application', 'yuan', '申请金额', 'Requested amount', 0, BIG, 0),
  num('requestedTermMonths', 'application', 'months', '申请期限', 'Requested term', 0, 600, 0),
  num('amountToRevenueRatio', 'application', 'ratio', '申请金额/年申报收入', 'Requested amount over 12-month declared revenue', 0, 1e9, 1),
  cat('productCode', 'application', '产品代码', 'Product code', PRODUCT_CODES),
  num('applications24hSameLegalRep', 'application', 'count', '24小时内同一法人申请数', 'Applications in 24 h by firms with the same legal representative', 0, 1e6, 1, 'zero'),
  num('applications30dSameUscc', 'application', 'count', '30天内同一企业申请数', 'Applications in 30 days by the same enterprise', 0, 1e6, 1, 'zero'),
  // model outputs the strategy rules read
  num('pd', 'application', 'probability', '违约概率', 'Probability of default from the credit-risk model', 0, 1, 1),
  num('score', 'application', 'points', '信用评分', 'Scorecard points', -1e6, 1e6, -1),
  num('responseScore', 'application', 'probability', '营销响应概率', 'Marketing response probability', 0, 1, 0),
]

export const FEATURE_BY_NAME: ReadonlyMap<string, FeatureDef> = new Map(FEATURES.map((f) => [f.name, f]))

export function isKnownFeature(name: string): boolean {
  return FEATURE_BY_NAME.has(name)
}
