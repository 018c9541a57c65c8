import type { Selectable } from 'kysely'
import type { EnterprisesTable, TaxFilingsTable } from './enterprises.table.js'
import type { EnterpriseStatus } from './enterprises.types.js'

type EnterpriseDb = Selectable<EnterprisesTable>

/** Database row → API shape (camelCase, yuan as numbers, dates as ISO strings). */
export function toEnterprise(e: EnterpriseDb) {
  return {
    uscc: e.uscc, name: e.name, establishedOn: e.established_on, registeredCapital: e.registered_capital,
    paidInCapital: e.paid_in_capital, industryCode: e.industry_code, regionCode: e.region_code, address: e.address,
    lat: e.lat, lng: e.lng, status: e.status as EnterpriseStatus, employees: e.employees, isListed: e.is_listed, tags: e.tags,
    phoneHash: e.phone_hash, addressHash: e.address_hash, legalRepPersonId: e.legal_rep_person_id,
    customerBranchId: e.customer_branch_id, relationshipManagerId: e.relationship_manager_id, blacklisted: e.blacklisted,
    updatedAt: new Date(e.updated_at).toISOString(),
  }
}

/** Latest tax summary over the most recent (up to 12) filings, newest first. */
export function taxSummary(filings: readonly Selectable<TaxFilingsTable>[]) {
  const latest = filings[0]
  if (!latest) return null
  return {
    latestPeriod: latest.period,
    grade: filings.find((f) => f.grade !== null)?.grade ?? null,
    revenue12m: filings.reduce((s, f) => s + f.declared_revenue, 0),
    taxPaid12m: filings.reduce((s, f) => s + f.tax_paid, 0),
    zeroFilingMonths12m: filings.filter((f) => f.zero_filing).length,
    lateFilings12m: filings.filter((f) => f.late).length,
    arrears: latest.arrears,
  }
}

export function toProfile(e: EnterpriseDb, filings: readonly Selectable<TaxFilingsTable>[], relationCounts: Record<string, number>) {
  return { ...toEnterprise(e), taxSummary: taxSummary(filings), relationCounts }
}
