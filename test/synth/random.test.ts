import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Rng, WeightedTable, normalCdf, normalQuantile } from '../../src/synth/random.js'

function draws(rng: Rng, k: number, f: (r: Rng) => number): number[] {
  return Array.from({ length: k }, () => f(rng))
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length
}

describe('Rng', () => {
  it('repeats a sequence for the same seed and stream, and differs otherwise', () => {
    const a = draws(new Rng(42, 'x'), 20, (r) => r.u32())
    expect(draws(new Rng(42, 'x'), 20, (r) => r.u32())).toEqual(a)
    expect(draws(new Rng(42, 'y'), 20, (r) => r.u32())).not.toEqual(a)
    expect(draws(new Rng(43, 'x'), 20, (r) => r.u32())).not.toEqual(a)
    expect(draws(new Rng('42', 'x'), 20, (r) => r.u32())).not.toEqual(a)
  })

  it('keeps int, range and next inside their bounds', () => {
    fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 1_000_000 }), (seed, n) => {
      const rng = new Rng(seed)
      for (let k = 0; k < 50; k++) {
        const i = rng.int(n)
        const x = rng.next()
        const r = rng.range(-n, n)
        if (!(Number.isInteger(i) && i >= 0 && i < n && x >= 0 && x < 1 && r >= -n && r <= n)) return false
      }
      return true
    }))
  })

  it('draws uniform, normal, log-normal, poisson and pareto values with the right moments', () => {
    const rng = new Rng(7)
    const u = draws(rng, 50_000, (r) => r.next())
    expect(mean(u)).toBeCloseTo(0.5, 2)
    const z = draws(rng, 50_000, (r) => r.normal(3, 2))
    expect(mean(z)).toBeCloseTo(3, 1)
    expect(Math.sqrt(mean(z.map((x) => (x - 3) ** 2)))).toBeCloseTo(2, 1)
    const ln = draws(rng, 50_000, (r) => r.logNormal(1, 0.5)).sort((a, b) => a - b)
    expect(ln[25_000]!).toBeCloseTo(Math.E, 1) // median of a log-normal is exp(mu)
    expect(mean(draws(rng, 50_000, (r) => r.poisson(3.5)))).toBeCloseTo(3.5, 1)
    expect(mean(draws(rng, 20_000, (r) => r.poisson(80)))).toBeCloseTo(80, 0)
    const p = draws(rng, 50_000, (r) => r.pareto(1, 2))
    expect(Math.min(...p)).toBeGreaterThanOrEqual(1)
    expect(mean(p)).toBeGreaterThan(1.8) // mean alpha/(alpha-1) = 2, heavy tail
    expect(mean(p)).toBeLessThan(2.2)
  })

  it('samples a weighted table in proportion to its weights', () => {
    const table = new WeightedTable([1, 0, 3, 6])
    const rng = new Rng(1)
    const counts = [0, 0, 0, 0]
    for (let k = 0; k < 100_000; k++) counts[table.sample(rng)]!++
    expect(counts[1]).toBe(0)
    expect(counts[0]! / 100_000).toBeCloseTo(0.1, 2)
    expect(counts[2]! / 100_000).toBeCloseTo(0.3, 2)
    expect(counts[3]! / 100_000).toBeCloseTo(0.6, 2)
    expect(() => new WeightedTable([])).toThrow()
    expect(() => new WeightedTable([0, 0])).toThrow()
  })

  it('inverts the normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5)
    for (const p of [0.01, 0.08, 0.5, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6)
  })
})
