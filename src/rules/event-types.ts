/**
 * Risk event types the warning module receives, with the level the `warning-levels` rule set gives them
 * when no escalation rule applies. rules/warning-levels.json holds one WL-<code> rule per entry; a test
 * keeps the two in step.
 */
export type WarningLevel = 'HIGH' | 'MEDIUM' | 'LOW'
export const WARNING_LEVELS: readonly WarningLevel[] = ['HIGH', 'MEDIUM', 'LOW']

export interface RiskEventType {
  code: string
  zh: string
  en: string
  defaultLevel: WarningLevel
}

function ev(code: string, zh: string, en: string, defaultLevel: WarningLevel): RiskEventType {
  return { code, zh, en, defaultLevel }
}

export const RISK_EVENT_TYPES: readonly RiskEventType[] = [
  // judicial
  ev('DISHONEST_DEBTOR', '失信被执行人', 'Listed as a dishonest judgment debtor', 'HIGH'),
  ev('EXECUTED_PERSON', '被执行人', 'Subject to court enforcement', 'MEDIUM'),
  ev('HIGH_CONSUMPTION_BAN', '限制高消费', 'Restricted from high consumption', 'HIGH'),
  ev('LAWSUIT', '诉讼', 'Lawsuit as defendant', 'LOW'),
  ev('BANKRUPTCY', '破产重整', 'Bankruptcy or reorganisation filing', 'HIGH'),
  ev('ASSET_AUCTION', '司法拍卖', 'Judicial auction of assets', 'HIGH'),
  ev('ASSET_SEIZURE', '财产查封', 'Assets seized or frozen by a court', 'HIGH'),
  ev('CRIMINAL_CASE', '刑事案件', 'Criminal case involving the enterprise or its controller', 'HIGH'),
  ev('KEY_PERSON_DETAINED', '实际控制人被限制人身自由', 'Actual controller detained', 'HIGH'),
  // equity
  ev('EQUITY_FROZEN', '股权冻结', 'Equity frozen', 'HIGH'),
  ev('EQUITY_PLEDGED', '股权出质', 'Equity pledged', 'LOW'),
  ev('EQUITY_TRANSFER', '股权转让', 'Equity transferred', 'LOW'),
  ev('SHAREHOLDER_CHANGE', '股东变更', 'Shareholder change', 'LOW'),
  ev('ACTUAL_CONTROLLER_CHANGE', '实际控制人变更', 'Change of actual controller', 'MEDIUM'),
  ev('CAPITAL_REDUCTION', '减资', 'Registered capital reduced', 'MEDIUM'),
  // registration and regulators
  ev('ADMIN_PENALTY', '行政处罚', 'Administrative penalty', 'MEDIUM'),
  ev('ABNORMAL_OPERATION', '经营异常', 'Listed for abnormal operation', 'MEDIUM'),
  ev('SERIOUS_VIOLATION', '严重违法', 'Listed as a serious violator', 'HIGH'),
  ev('LEGAL_REP_CHANGE', '法定代表人变更', 'Legal representative changed', 'LOW'),
  ev('EXECUTIVE_CHANGE', '高管变更', 'Executive team changed', 'LOW'),
  ev('ADDRESS_CHANGE', '注册地址变更', 'Registered address changed', 'LOW'),
  ev('BUSINESS_SCOPE_CHANGE', '经营范围变更', 'Business scope changed', 'LOW'),
  ev('LIQUIDATION', '清算', 'Liquidation started', 'HIGH'),
  ev('DEREGISTRATION', '注销', 'Deregistration', 'HIGH'),
  ev('REVOCATION', '吊销营业执照', 'Business licence revoked', 'HIGH'),
  ev('ENV_PENALTY', '环保处罚', 'Environmental penalty', 'MEDIUM'),
  ev('SAFETY_ACCIDENT', '安全生产事故', 'Work-safety accident', 'MEDIUM'),
  ev('QUALITY_PENALTY', '产品质量处罚', 'Product-quality penalty', 'MEDIUM'),
  ev('CUSTOMS_PENALTY', '海关处罚', 'Customs penalty', 'MEDIUM'),
  ev('PUBLIC_CREDIT_WARNING', '信用中国警示', 'Public credit warning (Credit China)', 'MEDIUM'),
  // tax
  ev('TAX_ARREARS', '欠税', 'Tax in arrears', 'MEDIUM'),
  ev('TAX_ABNORMAL', '税务非正常户', 'Abnormal taxpayer status', 'HIGH'),
  ev('TAX_GRADE_DOWN', '纳税等级下调', 'Tax credit grade lowered', 'MEDIUM'),
  ev('TAX_PENALTY', '税务处罚', 'Tax penalty', 'MEDIUM'),
  ev('TAX_EVASION', '偷逃税', 'Tax evasion', 'HIGH'),
  ev('FAKE_INVOICE', '虚开发票', 'False VAT invoices', 'HIGH'),
  ev('ZERO_FILING', '零申报', 'Zero tax filing', 'LOW'),
  ev('SOCIAL_INSURANCE_ARREARS', '社保欠缴', 'Social insurance in arrears', 'MEDIUM'),
  ev('WAGE_ARREARS', '欠薪', 'Wages in arrears', 'MEDIUM'),
  // credit and finance
  ev('GUARANTEE_OVERDUE', '担保逾期', 'Guarantee given is overdue', 'HIGH'),
  ev('LOAN_OVERDUE', '贷款逾期', 'Loan overdue', 'HIGH'),
  ev('BILL_DEFAULT', '票据违约', 'Commercial bill default', 'HIGH'),
  ev('BOND_DEFAULT', '债券违约', 'Bond default', 'HIGH'),
  ev('CHATTEL_MORTGAGE', '动产抵押', 'Chattel mortgage registered', 'LOW'),
  ev('REVENUE_DECLINE', '收入持续下滑', 'Revenue falling continuously', 'MEDIUM'),
  ev('PROFIT_DECLINE', '净利润下滑', 'Net profit falling', 'LOW'),
  ev('HIGH_DEBT_RATIO', '资产负债率过高', 'Debt-to-asset ratio too high', 'MEDIUM'),
  ev('LOW_LIQUIDITY', '流动/速动比率过低', 'Current or quick ratio too low', 'MEDIUM'),
  ev('BANK_FLOW_ANOMALY', '银行流水异常', 'Abnormal bank-account flows', 'MEDIUM'),
  // public opinion
  ev('NEGATIVE_NEWS', '负面舆情', 'Negative news (graded by sentiment)', 'LOW'),
]

export const RISK_EVENT_CODES: readonly string[] = RISK_EVENT_TYPES.map((e) => e.code)
export const RISK_EVENT_BY_CODE: ReadonlyMap<string, RiskEventType> = new Map(RISK_EVENT_TYPES.map((e) => [e.code, e]))

/** The six dimensions along which a warning propagates to related enterprises. */
export const RELATION_TYPES = ['EXECUTIVE', 'SHAREHOLDER', 'EQUITY_HOLDING', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE'] as const
export type RelationType = (typeof RELATION_TYPES)[number]

/** Applies a level shift (negative lowers: HIGH -1 → MEDIUM); below LOW there is no warning, above HIGH stays HIGH. */
export function shiftLevel(level: WarningLevel, shift: number): WarningLevel | null {
  const index = Math.max(0, WARNING_LEVELS.indexOf(level) - Math.trunc(shift))
  return WARNING_LEVELS[index] ?? null
}
