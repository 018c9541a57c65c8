import { PRODUCT_CODES } from '../features/catalog.js'

export type ProductCode = (typeof PRODUCT_CODES)[number]

export interface Product {
  code: ProductCode
  name: string
  /** Largest amount in yuan (the strategy rule set caps limits the same way). */
  maxAmount: number
  maxTermMonths: number
  /** Rule sets the pipeline runs, in order. */
  ruleSets: readonly ['admission', 'anti-fraud', 'strategy']
  /** Models the pipeline scores: the first is the credit-risk model whose PD the strategy reads. */
  models: readonly string[]
}

const PIPELINE = ['admission', 'anti-fraud', 'strategy'] as const

/** The products in one place. */
export const PRODUCTS: readonly Product[] = [
  { code: 'TAX_LOAN', name: '税易贷 (tax-based loan)', maxAmount: 3_000_000, maxTermMonths: 12, ruleSets: PIPELINE, models: ['credit-risk'] },
  { code: 'TECH_LOAN', name: '科企贷 (tech-enterprise loan)', maxAmount: 5_000_000, maxTermMonths: 36, ruleSets: PIPELINE, models: ['credit-risk'] },
  { code: 'GOV_PROCUREMENT_LOAN', name: '政采贷 (government-procurement loan)', maxAmount: 10_000_000, maxTermMonths: 12, ruleSets: PIPELINE, models: ['credit-risk'] },
]

export const PRODUCT_BY_CODE: ReadonlyMap<string, Product> = new Map(PRODUCTS.map((p) => [p.code, p]))
