import type { Db } from '../db/database.js'
import { NotFoundError } from '../shared/errors.js'
import { assembleFeatures, type AssembledFeatures } from './assemble.js'
import { loadFeatureSources, pageFeatureSources } from './features.repository.js'

export function createFeaturesService(db: Db, clock: () => Date = () => new Date()) {
  return {
    /** One enterprise's features, from one query. */
    async forEnterprise(uscc: string, asOf: Date = clock()): Promise<AssembledFeatures> {
      const [row] = await loadFeatureSources(db, [uscc], asOf)
      if (!row) throw new NotFoundError(`Enterprise ${uscc} was not found`)
      return assembleFeatures(row, asOf)
    },

    /** Features of many enterprises (batch scoring, decisions for several firms). Unknown USCCs are absent. */
    async forEnterprises(usccs: readonly string[], asOf: Date = clock()): Promise<Map<string, AssembledFeatures>> {
      const rows = await loadFeatureSources(db, usccs, asOf)
      return new Map(rows.map((r) => [r.uscc, assembleFeatures(r, asOf)]))
    },
  }
}

/** Streams the whole portfolio's features in USCC order, page by page (training uses this same path). */
export async function* streamFeatures(db: Db, asOf: Date, pageSize = 2000): AsyncGenerator<AssembledFeatures[]> {
  let after: string | null = null
  for (;;) {
    const rows = await pageFeatureSources(db, after, pageSize, asOf)
    if (rows.length === 0) return
    yield rows.map((r) => assembleFeatures(r, asOf))
    after = rows[rows.length - 1]!.uscc
  }
}

export type FeaturesService = ReturnType<typeof createFeaturesService>
