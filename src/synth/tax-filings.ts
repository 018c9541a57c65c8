/**
 * Monthly tax filings for the 12 periods before asOf: seasonal revenue with the firm's trend, zero and late
 * filings from the plan's masks, arrears on the latest periods, and the credit grade on the latest period.
 */
import type { TaxFilingRow } from '../enterprises/enterprises.types.js'
import { usccAt } from './entity-rows.js'
import { filedMask } from './plan-tax.js'
import { F_ARREARS, GRADES, NO_GRADE, TAX_MONTHS, periodOfMonth, type PortfolioPlan } from './portfolio-plan.js'
import type { Rng } from './random.js'
import { INDUSTRIES, SEASONS } from './reference-data.js'

const SEASON_OF_INDUSTRY = INDUSTRIES.map((ind) => SEASONS[ind.season])

/** Filing rows of enterprise i, oldest period first (none for closed firms). */
export function taxFilingsOf(plan: PortfolioPlan, rng: Rng, i: number, out: TaxFilingRow[]): void {
  const filed = filedMask(plan, i)
  if (filed === 0) return
  const uscc = usccAt(plan, i)
  const ind = plan.industry[i]!
  const season = SEASON_OF_INDUSTRY[ind]!
  const taxRate = INDUSTRIES[ind]!.taxRate
  const monthly = plan.revenue[i]! / 12
  const growth = plan.growth[i]!
  const zero = plan.zeroMask[i]!
  const late = plan.lateMask[i]!
  const grade = plan.grade[i]!
  const arrears = (plan.flags[i]! & F_ARREARS) !== 0
  const arrearsFrom = arrears ? TAX_MONTHS - 1 - rng.int(3) : TAX_MONTHS
  for (let m = 0; m < TAX_MONTHS; m++) {
    if (!(filed & (1 << m))) continue
    const month = plan.firstPeriod + m
    const isZero = (zero & (1 << m)) !== 0
    let revenue = 0
    let taxPaid = 0
    if (!isZero) {
      // the trend is anchored on the latest month, so growth reads as the change over the window
      const trend = Math.pow(1 + growth, (m - (TAX_MONTHS - 1)) / 12)
      revenue = Math.round(monthly * season[month % 12]! * trend * rng.logNormal(0, 0.18))
      taxPaid = Math.round(revenue * taxRate * rng.logNormal(0, 0.3))
    }
    out.push({
      uscc, period: periodOfMonth(month), declaredRevenue: revenue, taxPaid, zeroFiling: isZero,
      late: (late & (1 << m)) !== 0,
      grade: m === TAX_MONTHS - 1 && grade !== NO_GRADE ? GRADES[grade]! : null,
      arrears: m >= arrearsFrom,
    })
  }
}
