/**
 * The synthetic portfolio generator: a deterministic, synchronous stream of row batches in dependency
 * order (branches, persons, enterprises, relations, tax filings, ground truth). The same (enterprises,
 * seed, asOf) always gives the same rows in the same order, whatever the batch size.
 */
import type { BranchRow, EnterpriseRow, PersonRow, RelationRow, TaxFilingRow } from '../enterprises/enterprises.types.js'
import { branchRows, enterpriseRowAt, personRowAt, usccAt } from './entity-rows.js'
import { computeGroundTruth } from './ground-truth.js'
import { planPortfolio } from './portfolio-planner.js'
import { dayOf } from './portfolio-plan.js'
import { Rng } from './random.js'
import { RelationGraphBuilder } from './relation-graph.js'
import { ownershipRelations } from './relations-ownership.js'
import { guaranteeRelations, sharedAttributeRelations, supplyRelations } from './relations-network.js'
import { taxFilingsOf } from './tax-filings.js'

export const DEFAULT_AS_OF = '2026-10-31'
export const DEFAULT_BATCH_SIZE = 5_000

/** Ground truth of one enterprise: for training and benchmarks only, never for serving features. */
export interface TruthRow {
  uscc: string
  truePd: number
  defaulted: boolean
  responded: boolean
}

export type PortfolioBatch =
  | { kind: 'branches'; rows: BranchRow[] }
  | { kind: 'persons'; rows: PersonRow[] }
  | { kind: 'enterprises'; rows: EnterpriseRow[] }
  | { kind: 'relations'; rows: RelationRow[] }
  | { kind: 'taxFilings'; rows: TaxFilingRow[] }
  | { kind: 'truth'; rows: TruthRow[] }

export type PortfolioPhase = 'plan' | PortfolioBatch['kind']

export interface GenerateOptions {
  enterprises: number
  seed: number | string
  /** The observation date (YYYY-MM-DD); tax periods are the 12 months before it. Fixed by default for reproducibility. */
  asOf?: string
  /** Rows per batch (default 5000); a tax-filing batch may run over by up to 11 rows so that one firm's filings stay together. */
  batchSize?: number
  /**
   * Called after each batch. `total` is exact for every phase except relations and taxFilings, where it is
   * an estimate until the phase's last call, which always has done === total.
   */
  onProgress?: (phase: PortfolioPhase, done: number, total: number) => void
}

/** Relations per enterprise and filings per enterprise, for progress estimates only. */
const EXPECTED_RELATIONS_PER_FIRM = 5
const EXPECTED_FILINGS_PER_FIRM = 10.5

export function* generatePortfolio(options: GenerateOptions): Generator<PortfolioBatch, void, undefined> {
  const { enterprises: n, seed } = options
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`)
  const progress = options.onProgress ?? (() => {})
  const asOfDay = dayOf(options.asOf ?? DEFAULT_AS_OF)

  progress('plan', 0, 1)
  const plan = planPortfolio(n, seed, asOfDay)
  progress('plan', 1, 1)

  const branches = branchRows()
  yield { kind: 'branches', rows: branches }
  progress('branches', branches.length, branches.length)

  for (let from = 0; from < plan.personCount; from += batchSize) {
    const to = Math.min(plan.personCount, from + batchSize)
    const rows: PersonRow[] = []
    for (let p = from; p < to; p++) rows.push(personRowAt(plan, p))
    yield { kind: 'persons', rows }
    progress('persons', to, plan.personCount)
  }

  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize)
    const rows: EnterpriseRow[] = []
    for (let i = from; i < to; i++) rows.push(enterpriseRowAt(plan, i))
    yield { kind: 'enterprises', rows }
    progress('enterprises', to, n)
  }

  const graph = new RelationGraphBuilder(plan)
  const relationSources = [
    ownershipRelations(plan, new Rng(seed, 'ownership'), graph),
    supplyRelations(plan, new Rng(seed, 'supply'), graph),
    guaranteeRelations(plan, new Rng(seed, 'guarantees'), graph),
    sharedAttributeRelations(plan, graph),
  ]
  let relations = 0
  let batch: RelationRow[] = []
  for (const source of relationSources) {
    for (const row of source) {
      batch.push(row)
      if (batch.length >= batchSize) {
        relations += batch.length
        yield { kind: 'relations', rows: batch }
        progress('relations', relations, Math.max(relations + 1, n * EXPECTED_RELATIONS_PER_FIRM))
        batch = []
      }
    }
  }
  relations += batch.length
  if (batch.length > 0) yield { kind: 'relations', rows: batch }
  progress('relations', relations, relations)

  const taxRng = new Rng(seed, 'tax')
  let filings = 0
  let filingBatch: TaxFilingRow[] = []
  for (let i = 0; i < n; i++) {
    taxFilingsOf(plan, taxRng, i, filingBatch)
    if (filingBatch.length >= batchSize) {
      filings += filingBatch.length
      yield { kind: 'taxFilings', rows: filingBatch }
      progress('taxFilings', filings, Math.max(filings + 1, Math.round(n * EXPECTED_FILINGS_PER_FIRM)))
      filingBatch = []
    }
  }
  filings += filingBatch.length
  if (filingBatch.length > 0) yield { kind: 'taxFilings', rows: filingBatch }
  progress('taxFilings', filings, filings)

  const truth = computeGroundTruth(plan, graph.build(), seed)
  for (let from = 0; from < n; from += batchSize) {
    const to = Math.min(n, from + batchSize)
    const rows: TruthRow[] = []
    for (let i = from; i < to; i++) {
      rows.push({ uscc: usccAt(plan, i), truePd: truth.truePd[i]!, defaulted: truth.defaulted[i] === 1, responded: truth.responded[i] === 1 })
    }
    yield { kind: 'truth', rows }
    progress('truth', to, n)
  }
}
