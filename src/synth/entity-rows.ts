/**
 * Builds the ingest rows (EnterpriseRow, PersonRow, BranchRow) from the plan. Everything here is a pure
 * function of the plan and an index, so rows can be built batch by batch in any order.
 */
import type { BranchRow, EnterpriseRow, PersonRow } from '../enterprises/enterprises.types.js'
import {
  addressHashOf, addressTextOf, enterpriseNameOf, personIdOf, personNameMaskedOf, phoneHashOf, usccOf,
} from './identifiers.js'
import {
  F_BLACKLISTED, F_COORDS, F_CUSTOMER, F_HIGH_TECH, F_LISTED, F_SRDI, STATUSES, isoOfDay, type PortfolioPlan,
} from './portfolio-plan.js'
import { hashWords } from './random.js'
import { BRANCHES, DISTRICTS, INDUSTRIES, branchIdOf, servingBranchKey } from './reference-data.js'

export function branchRows(): BranchRow[] {
  return BRANCHES.map((b) => ({
    id: branchIdOf(b.key), name: b.nameZh, parentId: b.parentKey === null ? null : branchIdOf(b.parentKey),
    regionCode: b.regionCode, lat: b.lat, lng: b.lng,
  }))
}

export function usccAt(plan: PortfolioPlan, i: number): string {
  return plan.usccs[i]!
}

/** Fills plan.usccs once the districts are final (hubs move firms between districts). */
export function assignUsccs(plan: PortfolioPlan): void {
  const usccs = new Array<string>(plan.n)
  for (let i = 0; i < plan.n; i++) usccs[i] = usccOf(plan.ids, i, DISTRICTS[plan.district[i]!]!.regionCode)
  plan.usccs = usccs
}

export function personIdAt(plan: PortfolioPlan, p: number): string {
  return personIdOf(plan.ids, p)
}

export function personRowAt(plan: PortfolioPlan, p: number): PersonRow {
  return {
    id: personIdOf(plan.ids, p),
    nameMasked: personNameMaskedOf(plan.ids, p),
    birthYear: plan.birthYear[p]!,
    blacklisted: plan.personBlacklisted[p] === 1,
  }
}

/** Two standard normals from a hash, so coordinates do not depend on any stream's position. */
function hashNormals(key: number, salt: number): [number, number] {
  const u1 = (hashWords(key, salt, 1) + 1) / 4294967297
  const u2 = hashWords(key, salt, 2) / 4294967296
  const r = Math.sqrt(-2 * Math.log(u1))
  return [r * Math.cos(2 * Math.PI * u2), r * Math.sin(2 * Math.PI * u2)]
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

export function enterpriseRowAt(plan: PortfolioPlan, i: number): EnterpriseRow {
  const { ids } = plan
  const district = DISTRICTS[plan.district[i]!]!
  const industry = INDUSTRIES[plan.industry[i]!]!
  const flags = plan.flags[i]!
  const hub = plan.hub[i]!
  const addressId = plan.addressId[i]!
  let lat: number | null = null
  let lng: number | null = null
  if (flags & F_COORDS) {
    // firms sharing an address share its coordinates; a district spans a few kilometres
    const [dy, dx] = hashNormals(ids.seedWord ^ 0x1a7, addressId)
    lat = round6(district.lat + dy * 0.025)
    lng = round6(district.lng + dx * 0.03)
  }
  const tags: string[] = []
  if (flags & F_HIGH_TECH) tags.push('HIGH_TECH')
  if (flags & F_SRDI) tags.push('SRDI')
  const isCustomer = (flags & F_CUSTOMER) !== 0
  const branchKey = servingBranchKey(district)
  const paidIn = plan.paidIn[i]!
  const employees = plan.employees[i]!
  return {
    uscc: usccAt(plan, i),
    name: enterpriseNameOf(ids, i, district, industry.nameWord),
    establishedOn: isoOfDay(plan.establishedDay[i]!),
    registeredCapital: plan.capital[i]!,
    paidInCapital: Number.isNaN(paidIn) ? null : paidIn,
    industryCode: industry.code,
    regionCode: district.regionCode,
    address: addressTextOf(ids, addressId, district, hub >= 0),
    lat, lng,
    status: STATUSES[plan.status[i]!]!,
    employees: employees < 0 ? null : employees,
    isListed: (flags & F_LISTED) !== 0,
    tags,
    phoneHash: phoneHashOf(ids, plan.phoneId[i]!),
    addressHash: addressHashOf(ids, addressId),
    legalRepPersonId: personIdOf(ids, plan.legalRep[i]!),
    customerBranchId: isCustomer ? branchIdOf(branchKey) : null,
    relationshipManagerId: isCustomer
      ? `RM-${branchKey}-${String(1 + (hashWords(ids.seedWord, 0x524d, i) % 12)).padStart(3, '0')}`
      : null,
    blacklisted: (flags & F_BLACKLISTED) !== 0,
  }
}
