import { describe, expect, it } from 'vitest'
import { readFile } from 'node:fs/promises'
import { parseTrainingConfig } from '../../training/lib/config.js'
import { loadConfig } from '../../training/cli.js'

describe('training configs', () => {
  it('the shipped sme-credit-risk config is valid and names only catalogue features', async () => {
    const c = await loadConfig('training/configs/sme-credit-risk.json')
    expect(c.kind).toBe('credit-risk')
    expect(c.features.length).toBeGreaterThan(20)
    expect(c.data).toEqual({ source: 'synthetic-portfolio', rows: 100000 })
    expect(JSON.parse(await readFile('training/configs/sme-credit-risk.json', 'utf8')).name).toBe(c.name)
  })

  it('fills defaults: scorecard 600 / 1:19 / 50 and the grade table', () => {
    const c = parseTrainingConfig({ name: 'x' })
    expect(c.scorecard).toEqual({ basePoints: 600, baseOdds: 1 / 19, pdo: 50 })
    expect(c.grades.at(-1)!.maxPd).toBe(1)
    expect(c.xgboost.treeMethod).toBe('hist')
  })

  it('reports every problem with its path', () => {
    expect(() => parseTrainingConfig({ name: 'x', kind: 'retail', features: ['pd', 'nope'], grades: [{ grade: 'A', maxPd: 0.5 }], extra: 1 }))
      .toThrow(/\/extra: unknown key[\s\S]*\/kind: must be one of[\s\S]*unknown feature not in the catalogue: nope[\s\S]*last grade must end at 1/)
  })
})
