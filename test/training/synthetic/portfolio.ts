/** A small seeded portfolio in an in-memory PGlite for the synthetic-training tests. */
import { openPortfolioDb, type PortfolioDb } from '../../../training/synthetic/portfolio-db.js'

export const SMALL_PORTFOLIO = { enterprises: 1500, seed: 11, asOf: '2026-10-31' } as const

/** Seeds and runs the graph once; '' as databaseUrl keeps tests on PGlite even when TRAIN_DATABASE_URL is set. */
export function openSmallPortfolio(): Promise<PortfolioDb> {
  return openPortfolioDb({ ...SMALL_PORTFOLIO, pgliteDir: 'memory://', databaseUrl: '' })
}
