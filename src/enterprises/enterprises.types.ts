/** Plain domain rows for reference data, as the ingest API accepts them (camelCase, yuan, ISO dates). */
export type EnterpriseStatus = 'ACTIVE' | 'ABNORMAL' | 'REVOKED' | 'CANCELLED'
export type RelationType =
  | 'SHAREHOLDER' | 'EXECUTIVE' | 'LEGAL_REP' | 'INVESTMENT' | 'SUPPLIER' | 'CUSTOMER' | 'GUARANTEE'
  | 'SAME_PHONE' | 'SAME_ADDRESS'
export type NodeType = 'enterprise' | 'person'

export interface EnterpriseRow {
  uscc: string
  name: string
  establishedOn: string // YYYY-MM-DD
  registeredCapital: number // yuan
  paidInCapital?: number | null
  industryCode: string // GB/T 4754, e.g. "C3311" or "F51"
  regionCode: string // 6 digits
  address?: string | null
  lat?: number | null
  lng?: number | null
  status: EnterpriseStatus
  employees?: number | null
  isListed?: boolean
  tags?: string[]
  phoneHash?: string | null
  addressHash?: string | null
  legalRepPersonId?: string | null
  customerBranchId?: string | null
  relationshipManagerId?: string | null
  blacklisted?: boolean
}

export interface PersonRow {
  id: string
  nameMasked: string
  birthYear: number
  blacklisted?: boolean
}

export interface RelationRow {
  type: RelationType
  fromType: NodeType
  fromId: string
  toType: NodeType
  toId: string
  ratio?: number | null // SHAREHOLDER: share of `to` held by `from`, 0..1
  amount?: number | null // GUARANTEE: yuan
  since?: string | null // YYYY-MM-DD
  until?: string | null
}

export interface TaxFilingRow {
  uscc: string
  period: string // YYYY-MM
  declaredRevenue: number // yuan
  taxPaid: number // yuan
  zeroFiling?: boolean
  late?: boolean
  grade?: 'A' | 'B' | 'M' | 'C' | 'D' | null
  arrears?: boolean
}

export interface BranchRow {
  id: string
  name: string
  parentId?: string | null
  regionCode: string
  lat: number
  lng: number
}
