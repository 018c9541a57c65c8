import { makeUscc } from '../../src/shared/uscc.js'
import type { BranchRow, EnterpriseRow } from '../../src/enterprises/enterprises.types.js'

let counter = 0
/** A valid USCC unique within the process (region 330106, sequential organisation code). */
export function nextUscc(): string {
  counter++
  const org = String(counter).padStart(8, '0') + String(process.pid % 10)
  return makeUscc(`91330106${org}`)
}

export function branch(overrides: Partial<BranchRow> = {}): BranchRow {
  return { id: `BR-${++counter}`, name: '测试分行', regionCode: '330106', lat: 30.27, lng: 120.13, ...overrides }
}

export function enterprise(overrides: Partial<EnterpriseRow> = {}): EnterpriseRow {
  return {
    uscc: nextUscc(), name: `测试企业${counter}有限公司`, establishedOn: '2018-05-20', registeredCapital: 5_000_000,
    industryCode: 'C3311', regionCode: '330106', status: 'ACTIVE', ...overrides,
  }
}

/** The enterprise body without its USCC, for PUT /v1/enterprises/{uscc}. */
export function enterpriseBody(overrides: Partial<EnterpriseRow> = {}): Omit<EnterpriseRow, 'uscc'> {
  const { uscc: _ignored, ...rest } = enterprise(overrides)
  return rest
}
