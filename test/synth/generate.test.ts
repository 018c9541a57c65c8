import { describe, expect, it } from 'vitest'
import { relationProblems } from '../../src/enterprises/relation-rules.js'
import { isValidUscc } from '../../src/shared/uscc.js'
import { generatePortfolio, type PortfolioPhase } from '../../src/synth/generate.js'
import { collect } from './collect.js'

const small = collect({ enterprises: 2_000, seed: 7, batchSize: 700 })

// generating takes about a second per test; the timeouts leave room for a loaded machine
describe('generatePortfolio: determinism', { timeout: 30_000 }, () => {
  it('gives byte-identical output for the same size and seed, whatever the batch size', () => {
    const again = collect({ enterprises: 2_000, seed: 7, batchSize: 1_900 })
    const { order: _a, batchSizes: _b, ...first } = small
    const { order: _c, batchSizes: _d, ...second } = again
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
  })

  it('gives different output for a different seed', () => {
    const other = collect({ enterprises: 2_000, seed: 8, batchSize: 700 })
    expect(other.enterprises[0]!.uscc).not.toBe(small.enterprises[0]!.uscc)
    expect(other.persons[0]!.id).not.toBe(small.persons[0]!.id)
    const sameUscc = new Set(small.enterprises.map((e) => e.uscc))
    expect(other.enterprises.filter((e) => sameUscc.has(e.uscc)).length).toBeLessThan(30)
    expect(other.truth.map((t) => t.truePd)).not.toEqual(small.truth.map((t) => t.truePd))
  })

  it('does not depend on today: asOf fixes the tax periods', () => {
    const periods = [...new Set(small.taxFilings.map((t) => t.period))].sort()
    expect(periods).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04',
      '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'])
    const shifted = collect({ enterprises: 200, seed: 7, asOf: '2025-03-15' })
    expect(Math.max(...shifted.taxFilings.map((t) => Number(t.period.replace('-', ''))))).toBe(202502)
    expect(shifted.enterprises.every((e) => e.establishedOn <= '2025-03-15')).toBe(true)
  })
})

describe('generatePortfolio: identifiers and integrity', { timeout: 30_000 }, () => {
  it('yields kinds in dependency order and respects the batch size', () => {
    const firsts = [...new Set(small.order)]
    expect(firsts).toEqual(['branches', 'persons', 'enterprises', 'relations', 'taxFilings', 'truth'])
    // each kind comes in one contiguous run
    const runs = small.order.filter((k, i) => i === 0 || small.order[i - 1] !== k)
    expect(runs).toEqual(firsts)
    expect(Math.max(...small.batchSizes)).toBeLessThanOrEqual(700 + 11)
  })

  it('makes every USCC valid and unique, and every person id unique', () => {
    expect(small.enterprises.every((e) => isValidUscc(e.uscc))).toBe(true)
    expect(new Set(small.enterprises.map((e) => e.uscc)).size).toBe(2_000)
    expect(small.enterprises.every((e) => e.uscc.startsWith('91') && e.uscc.slice(2, 8) === e.regionCode)).toBe(true)
    expect(new Set(small.persons.map((p) => p.id)).size).toBe(small.persons.length)
    expect(small.truth.map((t) => t.uscc)).toEqual(small.enterprises.map((e) => e.uscc))
  })

  it('references only persons, enterprises and branches yielded before', () => {
    const persons = new Set(small.persons.map((p) => p.id))
    const firms = new Set(small.enterprises.map((e) => e.uscc))
    const branches = new Set(small.branches.map((b) => b.id))
    for (const b of small.branches) if (b.parentId) expect(branches.has(b.parentId)).toBe(true)
    for (const e of small.enterprises) {
      expect(persons.has(e.legalRepPersonId!)).toBe(true)
      if (e.customerBranchId) expect(branches.has(e.customerBranchId)).toBe(true)
    }
    const exists = (type: string, id: string) => (type === 'person' ? persons.has(id) : firms.has(id))
    const bad = small.relations.filter((r) => !exists(r.fromType, r.fromId) || !exists(r.toType, r.toId))
    expect(bad).toEqual([])
    expect(small.taxFilings.every((t) => firms.has(t.uscc))).toBe(true)
  })

  it('passes the ingest checks: endpoint types, no self-loops, unique natural keys, shares summing to at most 1', () => {
    const problems = small.relations.flatMap((r) => relationProblems(r).map((p) => ({ r, p })))
    expect(problems).toEqual([])
    const keys = small.relations.map((r) => `${r.type}|${r.fromType}|${r.fromId}|${r.toType}|${r.toId}`)
    expect(new Set(keys).size).toBe(keys.length)
    const held = new Map<string, number>()
    for (const r of small.relations) {
      if (r.type === 'SHAREHOLDER' || r.type === 'INVESTMENT') held.set(r.toId, (held.get(r.toId) ?? 0) + r.ratio!)
    }
    expect(Math.max(...held.values())).toBeLessThanOrEqual(1 + 1e-9)
    const amounts = small.relations.filter((r) => r.type === 'GUARANTEE').map((r) => r.amount!)
    expect(amounts.every((a) => Number.isInteger(a) && a > 0)).toBe(true)
  })

  it('gives every enterprise its legal rep as a current LEGAL_REP relation', () => {
    const current = new Map<string, string>()
    for (const r of small.relations) if (r.type === 'LEGAL_REP' && !r.until) current.set(r.toId, r.fromId)
    for (const e of small.enterprises) expect(current.get(e.uscc)).toBe(e.legalRepPersonId)
    const former = small.relations.filter((r) => r.type === 'LEGAL_REP' && r.until)
    expect(former.length).toBeGreaterThan(0)
    expect(former.every((r) => r.until! >= '2025-10-31' && r.until! <= '2026-10-31')).toBe(true)
  })

  it('keeps tax filings consistent: one grade on the latest period, zero filings with no revenue', () => {
    const byFirm = new Map<string, typeof small.taxFilings>()
    for (const t of small.taxFilings) {
      const rows = byFirm.get(t.uscc) ?? []
      rows.push(t)
      byFirm.set(t.uscc, rows)
    }
    for (const rows of byFirm.values()) {
      expect(rows.length).toBeLessThanOrEqual(12)
      expect(rows.filter((t) => t.grade != null).map((t) => t.period)).toEqual([rows[rows.length - 1]!.period])
    }
    for (const t of small.taxFilings) {
      if (t.zeroFiling) expect([t.declaredRevenue, t.taxPaid]).toEqual([0, 0])
      expect(Number.isInteger(t.declaredRevenue) && t.declaredRevenue >= 0).toBe(true)
    }
    const closed = small.enterprises.filter((e) => e.status === 'CANCELLED' || e.status === 'REVOKED')
    expect(closed.length).toBeGreaterThan(0)
    expect(closed.every((e) => !byFirm.has(e.uscc))).toBe(true)
  })

  it('reports progress per phase, ending every phase with done === total', () => {
    const last = new Map<PortfolioPhase, [number, number]>()
    const calls: PortfolioPhase[] = []
    for (const _ of generatePortfolio({ enterprises: 500, seed: 1, batchSize: 100, onProgress: (phase, done, total) => {
      const prev = last.get(phase)
      if (prev) expect(done).toBeGreaterThanOrEqual(prev[0])
      expect(done).toBeLessThanOrEqual(total)
      last.set(phase, [done, total])
      calls.push(phase)
    } })) { /* drain */ }
    expect([...last.keys()]).toEqual(['plan', 'branches', 'persons', 'enterprises', 'relations', 'taxFilings', 'truth'])
    for (const [done, total] of last.values()) expect(done).toBe(total)
    expect(calls.filter((c) => c === 'relations').length).toBeGreaterThan(10)
  })

  it('rejects bad options', () => {
    expect(() => generatePortfolio({ enterprises: 0, seed: 1 }).next()).toThrow(/positive integer/)
    expect(() => generatePortfolio({ enterprises: 10, seed: 1, batchSize: 0 }).next()).toThrow(/batchSize/)
    expect(() => generatePortfolio({ enterprises: 10, seed: 1, asOf: '2026-02-30' }).next()).toThrow(/calendar date/)
  })
})
