import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import * as repo from '../enterprises/enterprises.repository.js'
import { createProgress } from '../cli/progress.js'
import { generatePortfolio } from './generate.js'

export async function isPortfolioEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('enterprises').select('uscc').limit(1).executeTakeFirst()
  return row === undefined
}

export interface SeedOptions {
  enterprises: number
  seed: number
  progress?: 'bar' | 'lines' | 'none'
}

export interface SeedCounts {
  branches: number
  persons: number
  enterprises: number
  relations: number
  taxFilings: number
  truth: number
}

/**
 * Streams the synthetic portfolio into the database batch by batch (each batch one transaction), in
 * dependency order, so memory stays bounded and a 1M-enterprise seed shows progress as it goes.
 */
export async function seedPortfolio(db: Db, options: SeedOptions): Promise<SeedCounts> {
  const progress = createProgress(options.progress ?? 'none')
  const counts: SeedCounts = { branches: 0, persons: 0, enterprises: 0, relations: 0, taxFilings: 0, truth: 0 }
  const batches = generatePortfolio({
    enterprises: options.enterprises, seed: options.seed,
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  })
  for (const batch of batches) {
    await db.transaction().execute(async (trx) => {
      switch (batch.kind) {
        case 'branches': await repo.upsertBranches(trx, batch.rows); break
        case 'persons': await repo.upsertPersons(trx, batch.rows); break
        case 'enterprises': await repo.upsertEnterprises(trx, batch.rows); break
        case 'relations': await repo.upsertRelations(trx, batch.rows, 'synthetic'); break
        case 'taxFilings': await repo.upsertTaxFilings(trx, batch.rows); break
        case 'truth': await repo.upsertTruth(trx, batch.rows); break
      }
    })
    counts[batch.kind] += batch.rows.length
  }
  // A bank knows which of its own customers are in default (NPL); it cannot know it of prospects. The graph
  // features (defaulted neighbours, default proximity) are built from exactly that knowledge.
  await sql`update enterprises set tags = array_append(tags, 'DEFAULTED')
    where customer_branch_id is not null and not ('DEFAULTED' = any(tags))
      and uscc in (select uscc from synth_truth where defaulted)`.execute(db)
  await sql`analyze`.execute(db)
  return counts
}
