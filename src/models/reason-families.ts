/**
 * Reason families: several catalogue features that tell the applicant the same thing become one reason
 * (credit-practice.md §2.3). Every catalogue feature belongs to exactly one family (a test checks it); a
 * one-hot column `taxCreditGrade=D` belongs to its source column's family; features outside the catalogue
 * (generic CSV models) fall into OTHER and are reported under their own name.
 */
import { FEATURE_BY_NAME } from '../features/catalog.js'

export type ReasonFamilyCode =
  | 'TAX_COMPLIANCE' | 'TAX_SCALE' | 'ENTERPRISE_MATURITY' | 'CAPITAL' | 'RELATED_PARTY_RISK' | 'GUARANTEE'
  | 'GANG' | 'LEGAL_REP' | 'JUDICIAL' | 'APPLICATION' | 'OTHER'

export interface ReasonFamily { code: ReasonFamilyCode; zh: string; en: string; features: readonly string[] }

export const REASON_FAMILIES: readonly ReasonFamily[] = [
  {
    code: 'TAX_COMPLIANCE', zh: '纳税合规：存在零申报、逾期申报、欠税或纳税信用等级偏低', en: 'Tax compliance: zero or late filings, tax arrears or a low tax credit grade',
    features: ['zeroFilingMonthsConsecutive', 'zeroFilingMonths12m', 'lateFilings24m', 'taxArrears', 'taxCreditGrade', 'taxAbnormal'],
  },
  {
    code: 'TAX_SCALE', zh: '纳税规模：申报收入或纳税额偏低、下降，或申报记录较短', en: 'Tax scale: low or falling declared revenue or tax paid, or a short filing history',
    features: ['taxRevenue12m', 'taxRevenueGrowthYoY', 'taxRevenueTrend6m', 'taxPaid12m', 'taxFilingMonths'],
  },
  {
    code: 'ENTERPRISE_MATURITY', zh: '企业经营年限与规模：成立时间短、规模小或所处行业风险较高', en: 'Enterprise maturity: a young or small business, or a riskier industry',
    features: ['entAgeMonths', 'employees', 'industryRiskIndex', 'industrySection', 'isListed', 'isHighTech'],
  },
  { code: 'CAPITAL', zh: '资本实力：注册资本或实缴比例偏低', en: 'Capital strength: low registered or paid-in capital', features: ['registeredCapitalLog', 'paidInRatio'] },
  {
    code: 'RELATED_PARTY_RISK', zh: '关联风险：关联方存在黑名单、违约或高风险记录', en: 'Related-party risk: blacklisted, defaulted or high-risk related parties',
    features: ['blacklistWithin1Hop', 'blacklistWithin2Hops', 'defaultedNeighbours1Hop', 'neighbourRiskScore', 'defaultProximity', 'pageRank', 'degreeShareholder', 'degreeSupply', 'gnnEmbedding*'],
  },
  {
    code: 'GUARANTEE', zh: '担保风险：处于担保圈、担保链较长或对外担保较多', en: 'Guarantee risk: part of a guarantee circle, a long guarantee chain or large guarantees given',
    features: ['inGuaranteeCircle', 'guaranteeChainLength', 'guaranteeExposureRatio', 'degreeGuarantee'],
  },
  {
    code: 'GANG', zh: '团伙/共用信息：与多家企业共用电话、地址或法定代表人', en: 'Shared details: phone, address or legal representative shared with other firms (possible gang)',
    features: ['gangFlag', 'communitySize', 'communityRiskShare', 'sharedPhoneFirms', 'sharedAddressFirms', 'sharedLegalRepFirms'],
  },
  {
    code: 'LEGAL_REP', zh: '法定代表人与股东：近期变更频繁', en: 'Legal representative and shareholders: frequent recent changes',
    features: ['legalRepAge', 'legalRepChanges12m', 'shareholderChanges12m'],
  },
  {
    code: 'JUDICIAL', zh: '司法与失信：涉诉、失信被执行、股权冻结、经营异常或负面事件', en: 'Judicial and integrity records: lawsuits, dishonest-debtor listing, frozen equity, abnormal operation or negative events',
    features: ['dishonestDebtor', 'lawsuits12m', 'equityFrozen', 'negativeEvents12m', 'openHighWarnings', 'blacklisted', 'abnormalOperation'],
  },
  {
    code: 'APPLICATION', zh: '申请特征：申请金额相对收入偏高或短期内多次申请', en: 'Application: amount high relative to revenue, or many recent applications',
    features: ['requestedAmount', 'requestedTermMonths', 'amountToRevenueRatio', 'productCode', 'applications24hSameLegalRep', 'applications30dSameUscc'],
  },
  { code: 'OTHER', zh: '其他因素', en: 'Other factors', features: ['pd', 'score', 'responseScore'] },
]

const FAMILY_BY_CODE = new Map(REASON_FAMILIES.map((f) => [f.code, f]))
const FAMILY_BY_FEATURE = new Map<string, ReasonFamily>()
const PREFIX_FAMILIES: Array<[string, ReasonFamily]> = []
for (const fam of REASON_FAMILIES) {
  for (const f of fam.features) {
    if (f.endsWith('*')) PREFIX_FAMILIES.push([f.slice(0, -1), fam])
    else FAMILY_BY_FEATURE.set(f, fam)
  }
}

export function familyByCode(code: ReasonFamilyCode): ReasonFamily {
  return FAMILY_BY_CODE.get(code)!
}

/** The catalogue column behind a model feature: `taxCreditGrade=D` → `taxCreditGrade`. */
export function sourceColumn(feature: string): string {
  const eq = feature.indexOf('=')
  return eq > 0 ? feature.slice(0, eq) : feature
}

/** The family of a model feature, and whether the feature is a catalogue feature. */
export function familyOf(feature: string): { family: ReasonFamily; known: boolean } {
  const col = sourceColumn(feature)
  const fam = FAMILY_BY_FEATURE.get(col) ?? PREFIX_FAMILIES.find(([p]) => col.startsWith(p))?.[1]
  return { family: fam ?? familyByCode('OTHER'), known: FEATURE_BY_NAME.has(col) }
}
