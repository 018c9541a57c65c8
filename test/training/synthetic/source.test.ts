import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FEATURE_BY_NAME } from '../../../src/features/catalog.js'
import { streamFeatures } from '../../../src/features/features.service.js'
import { parseTrainingConfig } from '../../../training/lib/config.js'
import { buildPortfolioMatrix, expandColumns, oracleAuc } from '../../../training/synthetic/matrix.js'
import type { PortfolioDb } from '../../../training/synthetic/portfolio-db.js'
import { runSyntheticPortfolio, syntheticSettings } from '../../../training/synthetic/source.js'
import { openSmallPortfolio, SMALL_PORTFOLIO } from './portfolio.js'

const FEATURES = ['entAgeMonths', 'isHighTech', 'taxCreditGrade', 'taxArrears', 'taxRevenueGrowthYoY', 'pageRank', 'inGuaranteeCircle', 'lawsuits12m']

let p: PortfolioDb
beforeAll(async () => { p = await openSmallPortfolio() }, 120_000)
afterAll(async () => { await p?.close() })

describe('synthetic-portfolio matrix', () => {
  it('has the catalogue features as columns, categories one-hot as the scorer names them', () => {
    const cols = expandColumns(FEATURES)
    expect(cols).toEqual(['entAgeMonths', 'isHighTech', 'taxCreditGrade=A', 'taxCreditGrade=B', 'taxCreditGrade=M', 'taxCreditGrade=C',
      'taxCreditGrade=D', 'taxArrears', 'taxRevenueGrowthYoY', 'pageRank', 'inGuaranteeCircle', 'lawsuits12m'])
    expect(() => expandColumns(['notAFeature'])).toThrow(/catalogue/)
  })

  it('encodes each row exactly like the assembly + vectorizer: booleans 1/0, null NaN, one-hot grades', async () => {
    const m = await buildPortfolioMatrix(p.db, { asOf: SMALL_PORTFOLIO.asOf, features: FEATURES, label: 'defaulted' })
    const F = m.featureNames.length
    expect(m.rows).toBe(SMALL_PORTFOLIO.enterprises)
    expect(m.X.length).toBe(m.rows * F)
    const next = await streamFeatures(p.db, new Date(`${SMALL_PORTFOLIO.asOf}T00:00:00Z`), 200).next()
    const first = next.done ? [] : next.value
    let sawNullGrade = false
    let sawGrade = false
    first.forEach((rec, i) => {
      expect(m.usccs[i]).toBe(rec.uscc)
      const row = m.X.subarray(i * F, (i + 1) * F)
      const grade = rec.values.taxCreditGrade
      const oneHot = Array.from(row.subarray(2, 7))
      if (grade === null) { sawNullGrade = true; expect(oneHot.every(Number.isNaN)).toBe(true) }
      else { sawGrade = true; expect(oneHot).toEqual(['A', 'B', 'M', 'C', 'D'].map((g) => (g === grade ? 1 : 0))) }
      expect(row[1]).toBe(rec.values.isHighTech ? 1 : 0)
      const growth = rec.values.taxRevenueGrowthYoY
      if (growth === null) expect(row[8]).toBeNaN()
      else expect(row[8]).toBe(Math.fround(growth as number))
      expect(row[9]).toBe(Math.fround(rec.values.pageRank as number))
    })
    expect(first.length).toBe(200)
    expect(sawGrade).toBe(true)
    expect(sawNullGrade || first.every((r) => r.values.taxCreditGrade !== null)).toBe(true)
  })

  it('takes labels from synth_truth and never reads it for features', async () => {
    const before = await buildPortfolioMatrix(p.db, { asOf: SMALL_PORTFOLIO.asOf, features: FEATURES, label: 'defaulted' })
    const truth = await sql<{ uscc: string; defaulted: boolean }>`select uscc, defaulted from synth_truth`.execute(p.db)
    const byUscc = new Map(truth.rows.map((r) => [r.uscc, r.defaulted ? 1 : 0]))
    before.usccs.forEach((u, i) => expect(before.y[i]).toBe(byUscc.get(u)))
    expect(before.y.reduce((s, v) => s + v, 0)).toBeGreaterThan(10)
    const o = oracleAuc(before.y, before.truePd, 0.3, 42)
    expect(o.auc).toBeGreaterThan(0.6)

    // Scramble the ground truth: labels must follow it, the features must not move.
    await sql`update synth_truth set defaulted = not defaulted, true_pd = 0.5`.execute(p.db)
    try {
      const after = await buildPortfolioMatrix(p.db, { asOf: SMALL_PORTFOLIO.asOf, features: FEATURES, label: 'defaulted' })
      expect(after.usccs).toEqual(before.usccs)
      expect(Buffer.from(after.X.buffer).equals(Buffer.from(before.X.buffer))).toBe(true)
      after.y.forEach((v, i) => expect(v).toBe(1 - before.y[i]!))
    } finally {
      await sql`update synth_truth set defaulted = not defaulted`.execute(p.db)
    }
  })
})

describe('synthetic-portfolio source', () => {
  it('reads its settings from config.data and refuses an unknown label', () => {
    const config = parseTrainingConfig({ name: 'x', kind: 'marketing-response', features: ['entAgeMonths', 'gnnEmbedding0'], data: { enterprises: 3000, seed: 5 } })
    expect(syntheticSettings(config)).toMatchObject({ enterprises: 3000, seed: 5, label: 'responded', gnn: true, ensemble: false, asOf: '2026-10-31' })
    expect(() => syntheticSettings({ ...config, data: { label: 'churned' } })).toThrow(/label/)
  })

  it('builds the training matrix of a config with no application features and an oracle AUC', async () => {
    const config = parseTrainingConfig({
      name: 'credit-risk', kind: 'credit-risk', features: FEATURES,
      data: { source: 'synthetic-portfolio', ...SMALL_PORTFOLIO, experiments: false },
    })
    // memory:// gives this run its own fresh database, seeded the same way.
    const run = await runSyntheticPortfolio(config, () => {}, { pgliteDir: 'memory://', databaseUrl: '' })
    expect(run.matrix.featureNames).toEqual(expandColumns(FEATURES))
    for (const c of run.matrix.featureNames) expect(FEATURE_BY_NAME.get(c.split('=')[0]!)?.source).not.toBe('application')
    expect(run.oracleAuc).toBeGreaterThan(0.6)
    expect(run.trainRows.length + run.testRows.length).toBe(SMALL_PORTFOLIO.enterprises)
  }, 120_000)
})
