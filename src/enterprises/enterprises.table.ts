import type { ColumnType, Generated } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface BranchesTable {
  id: string
  name: string
  parent_id: string | null
  region_code: string
  lat: number
  lng: number
}

export interface EnterprisesTable {
  uscc: string
  name: string
  established_on: string
  registered_capital: number
  paid_in_capital: number | null
  industry_code: string
  region_code: string
  address: string | null
  lat: number | null
  lng: number | null
  status: string
  employees: number | null
  is_listed: boolean
  tags: string[]
  phone_hash: string | null
  address_hash: string | null
  legal_rep_person_id: string | null
  customer_branch_id: string | null
  relationship_manager_id: string | null
  blacklisted: boolean
  updated_at: Timestamp
}

export interface PersonsTable {
  id: string
  name_masked: string
  birth_year: number
  id_hash: string | null
  blacklisted: boolean
}

export interface RelationsTable {
  id: Generated<string>
  type: string
  src_type: string
  src_id: string
  dst_type: string
  dst_id: string
  ratio: number | null
  amount: number | null
  since: string | null
  until: string | null
  source: string | null
  updated_at: Timestamp
}

export interface TaxFilingsTable {
  uscc: string
  period: string
  declared_revenue: number
  tax_paid: number
  zero_filing: boolean
  late: boolean
  grade: string | null
  arrears: boolean
}

/** Ground truth of the synthetic portfolio: read by training and benchmarks, never by the feature assembly. */
export interface SynthTruthTable {
  uscc: string
  true_pd: number
  defaulted: boolean
  responded: boolean
}
