/**
 * Opportunity (商机) event types the leads module receives, with the business signal and base weight the
 * `lead-signals` rule set gives them. rules/lead-signals.json holds one LS-<code> rule per entry; a test
 * keeps the two in step.
 */
export type LeadSignal = 'ACCOUNT' | 'DEPOSIT' | 'CREDIT' | 'SETTLEMENT' | 'INTERNATIONAL'
export const LEAD_SIGNALS: readonly LeadSignal[] = ['ACCOUNT', 'DEPOSIT', 'CREDIT', 'SETTLEMENT', 'INTERNATIONAL']

export interface OpportunityType {
  code: string
  zh: string
  en: string
  signal: LeadSignal
  /** Base weight in [0, 1]; the lead grade is response score × weight. */
  weight: number
}

function op(code: string, zh: string, en: string, signal: LeadSignal, weight: number): OpportunityType {
  return { code, zh, en, signal, weight }
}

export const OPPORTUNITY_TYPES: readonly OpportunityType[] = [
  op('GOV_BID_WON', '中标政府项目', 'Won a government tender', 'CREDIT', 0.9),
  op('NEW_PROJECT', '新拟建项目', 'New project planned', 'CREDIT', 0.8),
  op('OUTBOUND_INVESTMENT', '对外投资', 'Outbound investment', 'CREDIT', 0.6),
  op('CAPITAL_INCREASE', '注册资本增加', 'Registered capital increased', 'DEPOSIT', 0.6),
  op('CAPITAL_PAID_IN', '实缴资本到位', 'Capital paid in', 'DEPOSIT', 0.5),
  op('NEW_SUBSIDIARY', '新设子公司', 'New subsidiary', 'ACCOUNT', 0.7),
  op('NEW_BRANCH', '新增分支机构', 'New branch office', 'ACCOUNT', 0.6),
  op('NEW_ESTABLISHMENT', '新成立企业', 'Newly established enterprise', 'ACCOUNT', 0.7),
  op('FINANCING_ROUND', '融资', 'Equity financing round', 'DEPOSIT', 0.8),
  op('LISTING_PLAN', '上市辅导', 'Pre-IPO tutoring registered', 'DEPOSIT', 0.8),
  op('GOV_SUBSIDY', '政府补贴', 'Government subsidy granted', 'DEPOSIT', 0.5),
  op('EQUITY_INCENTIVE', '股权激励', 'Employee equity incentive plan', 'DEPOSIT', 0.4),
  op('MERGER', '并购', 'Merger or acquisition', 'CREDIT', 0.7),
  op('LEASE_MATURING', '融资租赁到期', 'Financial lease maturing', 'CREDIT', 0.7),
  op('GUARANTEE_MATURING', '担保到期', 'Guarantee maturing', 'CREDIT', 0.5),
  op('LOAN_MATURING', '他行贷款到期', 'Loan at another bank maturing', 'CREDIT', 0.8),
  op('PATENT_GRANTED', '新获专利', 'Patent granted', 'CREDIT', 0.4),
  op('HIGH_TECH_CERTIFIED', '高新技术认定', 'Certified as high-tech enterprise', 'CREDIT', 0.6),
  op('SPECIALIZED_SME', '专精特新认定', 'Certified specialised SME (专精特新)', 'CREDIT', 0.7),
  op('TAX_GRADE_UP', '纳税等级提升', 'Tax credit grade raised', 'CREDIT', 0.6),
  op('LAND_ACQUISITION', '土地竞得', 'Land use right acquired', 'CREDIT', 0.8),
  op('CONSTRUCTION_PERMIT', '施工许可', 'Construction permit issued', 'CREDIT', 0.7),
  op('QUALIFICATION_UPGRADE', '资质升级', 'Trade qualification upgraded', 'CREDIT', 0.5),
  op('RELOCATION', '迁址扩建', 'Relocation and expansion', 'CREDIT', 0.5),
  op('SUPPLY_CHAIN_ENTRY', '进入核心企业供应链', 'Joined a core enterprise supply chain', 'CREDIT', 0.7),
  op('HIRING_SURGE', '招聘扩张', 'Hiring surge', 'SETTLEMENT', 0.5),
  op('PAYROLL_GROWTH', '社保缴纳人数增长', 'Insured headcount growing', 'SETTLEMENT', 0.5),
  op('PROCUREMENT_CONTRACT', '大额采购合同', 'Large procurement contract', 'SETTLEMENT', 0.6),
  op('ECOMMERCE_STORE', '开设电商店铺', 'Opened an e-commerce store', 'SETTLEMENT', 0.4),
  op('BOND_ISSUANCE', '发债', 'Bond issuance', 'SETTLEMENT', 0.5),
  op('TRADEMARK_REGISTERED', '商标注册', 'Trademark registered', 'ACCOUNT', 0.3),
  op('IMPORT_EXPORT_LICENSE', '进出口资质', 'Import/export licence obtained', 'INTERNATIONAL', 0.8),
  op('CROSS_BORDER_TRADE', '跨境贸易', 'Cross-border trade started', 'INTERNATIONAL', 0.7),
  op('OVERSEAS_SUBSIDIARY', '设立境外子公司', 'Overseas subsidiary set up', 'INTERNATIONAL', 0.7),
  op('FOREIGN_INVESTMENT_RECEIVED', '引入外资', 'Foreign investment received', 'INTERNATIONAL', 0.6),
]

export const OPPORTUNITY_CODES: readonly string[] = OPPORTUNITY_TYPES.map((o) => o.code)
export const OPPORTUNITY_BY_CODE: ReadonlyMap<string, OpportunityType> = new Map(OPPORTUNITY_TYPES.map((o) => [o.code, o]))
