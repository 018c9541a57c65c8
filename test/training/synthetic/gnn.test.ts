import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamFeatures } from '../../../src/features/features.service.js'
import { GNN_DIMS, GNN_FEATURES, computeGnnFeatures, normalisedAdjacency, propagate } from '../../../training/synthetic/gnn.js'
import { readTruth } from '../../../training/synthetic/matrix.js'
import type { PortfolioDb } from '../../../training/synthetic/portfolio-db.js'
import { openSmallPortfolio, SMALL_PORTFOLIO } from './portfolio.js'

describe('SIGN propagation', () => {
  it('applies D^-1/2 (A + I) D^-1/2 over undirected edges of every type', () => {
    // path 0 - 1 - 2 (one SHAREHOLDER, one GUARANTEE edge): degrees with self-loops 2, 3, 2
    const edges = { SHAREHOLDER: { src: Int32Array.of(0), dst: Int32Array.of(1) }, GUARANTEE: { src: Int32Array.of(2), dst: Int32Array.of(1) } } as unknown as Parameters<typeof normalisedAdjacency>[1]
    const adj = normalisedAdjacency(3, edges)
    const out = propagate(adj, Float32Array.of(1, 0, 0), 1)
    expect(out[0]).toBeCloseTo(1 / 2, 6)
    expect(out[1]).toBeCloseTo(1 / Math.sqrt(6), 6)
    expect(out[2]).toBeCloseTo(0, 6)
  })
})

describe('GNN embeddings', () => {
  let p: PortfolioDb
  beforeAll(async () => { p = await openSmallPortfolio() }, 120_000)
  afterAll(async () => { await p?.close() })

  it('gives every enterprise 16 finite dimensions and merges them into its feature row', async () => {
    const truth = await readTruth(p.db)
    const trainLabels = new Map(truth.usccs.slice(0, 1000).map((u, i) => [u, truth.defaulted[i]!]))
    const loaded = await p.graph.ensureLoaded()
    const r = await computeGnnFeatures(p.db, loaded, { trainLabels, seed: 1, epochs: 2 })
    expect(r.usccs.length).toBe(SMALL_PORTFOLIO.enterprises)
    expect(r.embeddings.length).toBe(SMALL_PORTFOLIO.enterprises * GNN_DIMS)
    expect(r.embeddings.every(Number.isFinite)).toBe(true)
    expect(new Set(Array.from(r.embeddings.subarray(0, 200), (v) => v.toFixed(4))).size).toBeGreaterThan(20)
    expect(r.written).toBe(SMALL_PORTFOLIO.enterprises)

    const rows = await sql<{ snapshot_id: string; values: Record<string, number> }>`select snapshot_id, values from feature_rows`.execute(p.db)
    expect(rows.rows).toHaveLength(SMALL_PORTFOLIO.enterprises)
    for (const row of rows.rows) {
      expect(row.snapshot_id).toBe(loaded.snapshotId)
      for (const f of GNN_FEATURES) expect(Number.isFinite(row.values[f])).toBe(true)
      expect(row.values).toHaveProperty('pageRank')
    }
    // The serving assembly now returns them as features.
    const next = await streamFeatures(p.db, new Date(`${SMALL_PORTFOLIO.asOf}T00:00:00Z`), 50).next()
    const page = next.done ? [] : next.value
    const i = r.usccs.indexOf(page[0]!.uscc)
    expect(page[0]!.values.gnnEmbedding3).toBeCloseTo(r.embeddings[i * GNN_DIMS + 3]!, 5)
  }, 120_000)
})
