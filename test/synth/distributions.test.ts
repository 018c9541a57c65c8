import { beforeAll, describe, expect, it } from 'vitest'
import { INDUSTRY_RISK_INDEX } from '../../src/synth/reference-data.js'
import { collect, countBy, guaranteeCircleMembers, type Collected } from './collect.js'

const N = 20_000
let data: Collected
let defaulted: Set<string>
let baseRate: number

beforeAll(() => {
  data = collect({ enterprises: N, seed: 2026 })
  defaulted = new Set(data.truth.filter((t) => t.defaulted).map((t) => t.uscc))
  baseRate = defaulted.size / N
}, 60_000) // about 1 s alone; generous for a loaded CI machine

function share(part: number, whole: number): number {
  return part / whole
}

function defaultRate(usccs: Iterable<string>): { rate: number; count: number } {
  let count = 0
  let hits = 0
  for (const u of usccs) {
    count++
    if (defaulted.has(u)) hits++
  }
  return { rate: hits / count, count }
}

describe('synthetic portfolio: registration data', { timeout: 30_000 }, () => {
  it('has realistic statuses, customers, blacklists, listings and tags', () => {
    const status = countBy(data.enterprises, (e) => e.status)
    expect(share(status.get('ACTIVE')!, N)).toBeGreaterThan(0.82)
    for (const s of ['ABNORMAL', 'REVOKED', 'CANCELLED']) expect(share(status.get(s) ?? 0, N)).toBeGreaterThan(0.01)
    const customers = data.enterprises.filter((e) => e.customerBranchId)
    expect(share(customers.length, N)).toBeGreaterThan(0.08)
    expect(share(customers.length, N)).toBeLessThan(0.12)
    expect(customers.every((e) => /^RM-[A-Z]+(-[A-Z]+)?-\d{3}$/.test(e.relationshipManagerId!))).toBe(true)
    expect(share(data.enterprises.filter((e) => e.blacklisted).length, N)).toBeCloseTo(0.01, 2)
    expect(share(data.persons.filter((p) => p.blacklisted).length, data.persons.length)).toBeGreaterThan(0.003)
    expect(share(data.persons.filter((p) => p.blacklisted).length, data.persons.length)).toBeLessThan(0.008)
    const listed = data.enterprises.filter((e) => e.isListed).length
    expect(listed).toBeGreaterThan(0)
    expect(share(listed, N)).toBeLessThan(0.005)
    expect(share(data.enterprises.filter((e) => e.tags?.includes('HIGH_TECH')).length, N)).toBeGreaterThan(0.04)
    expect(data.enterprises.every((e) => INDUSTRY_RISK_INDEX.has(e.industryCode))).toBe(true)
  })

  it('draws log-normal capital, many young firms and coordinates near the region', () => {
    const capital = data.enterprises.map((e) => e.registeredCapital).sort((a, b) => a - b)
    const median = capital[N / 2]!
    expect(median).toBeGreaterThan(5e5)
    expect(median).toBeLessThan(5e6)
    expect(capital[Math.floor(N * 0.99)]! / median).toBeGreaterThan(10)
    const young = data.enterprises.filter((e) => e.establishedOn > '2024-10-31').length
    expect(share(young, N)).toBeGreaterThan(0.12)
    expect(share(young, N)).toBeLessThan(0.35)
    const located = data.enterprises.filter((e) => e.lat != null)
    expect(share(located.length, N)).toBeGreaterThan(0.6)
    const branchOf = new Map(data.branches.map((b) => [b.regionCode.slice(0, 4), b]))
    for (const e of located.slice(0, 500)) {
      const b = branchOf.get(e.regionCode.slice(0, 4))!
      expect(Math.abs(e.lat! - b.lat)).toBeLessThan(0.5)
      expect(Math.abs(e.lng! - b.lng)).toBeLessThan(0.5)
    }
  })
})

describe('synthetic portfolio: tax', () => {
  it('grades about A 10 / B 55 / M 15 / C 12 / D 8 percent (within 3 points)', () => {
    const graded = data.taxFilings.filter((t) => t.grade)
    const grades = countBy(graded, (t) => t.grade!)
    const targets = { A: 0.1, B: 0.55, M: 0.15, C: 0.12, D: 0.08 }
    for (const [g, target] of Object.entries(targets)) {
      expect(Math.abs(share(grades.get(g) ?? 0, graded.length) - target)).toBeLessThan(0.03)
    }
  })

  it('has about 12 filings per filer, zero and late filings, arrears and a Spring Festival dip', () => {
    const filers = new Set(data.taxFilings.map((t) => t.uscc))
    expect(data.taxFilings.length / filers.size).toBeGreaterThan(10.5)
    expect(share(data.taxFilings.filter((t) => t.zeroFiling).length, data.taxFilings.length)).toBeGreaterThan(0.03)
    expect(share(data.taxFilings.filter((t) => t.late).length, data.taxFilings.length)).toBeGreaterThan(0.005)
    expect(data.taxFilings.some((t) => t.arrears)).toBe(true)
    const month = (m: string) => data.taxFilings.filter((t) => t.period.endsWith(m)).reduce((s, t) => s + t.declaredRevenue, 0)
    expect(month('-02')).toBeLessThan(0.85 * month('-12'))
  })
})

describe('synthetic portfolio: relation graph', () => {
  it('has about 5 relations per enterprise of every type', () => {
    expect(data.relations.length / N).toBeGreaterThan(4.5)
    expect(data.relations.length / N).toBeLessThan(5.5)
    const types = countBy(data.relations, (r) => r.type)
    for (const t of ['SHAREHOLDER', 'EXECUTIVE', 'LEGAL_REP', 'INVESTMENT', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE', 'SAME_PHONE', 'SAME_ADDRESS']) {
      expect(types.get(t) ?? 0).toBeGreaterThan(0)
    }
  })

  it('has power-law ownership: a few parents hold many subsidiaries', () => {
    const parents = countBy(data.relations.filter((r) => r.type === 'SHAREHOLDER' && r.fromType === 'enterprise'), (r) => r.fromId)
    const fanOut = [...parents.values()].sort((a, b) => b - a)
    expect(fanOut[0]!).toBeGreaterThanOrEqual(8)
    expect(fanOut[Math.floor(fanOut.length / 2)]!).toBeLessThanOrEqual(2)
  })

  it('has fraud gangs sharing phones, and hub addresses that are not gangs', () => {
    const byPhone = countBy(data.enterprises, (e) => e.phoneHash!)
    const gangPhones = [...byPhone.values()].filter((c) => c >= 2)
    expect(gangPhones.length).toBeGreaterThan(5)
    expect(Math.max(...gangPhones)).toBeLessThanOrEqual(15)
    const inGangs = gangPhones.reduce((s, c) => s + c, 0)
    expect(share(inGangs, N)).toBeGreaterThan(0.004)
    expect(share(inGangs, N)).toBeLessThan(0.02)

    const byAddress = countBy(data.enterprises, (e) => e.addressHash!)
    const hubs = [...byAddress.entries()].filter(([, c]) => c >= 30)
    expect(hubs.length).toBeGreaterThan(0)
    expect(Math.max(...hubs.map(([, c]) => c))).toBeLessThanOrEqual(200)
    // hub tenants are ordinary firms: their default rate is close to the base rate, unlike the gangs'
    const hubSet = new Set(hubs.map(([h]) => h))
    const tenants = data.enterprises.filter((e) => hubSet.has(e.addressHash!)).map((e) => e.uscc)
    expect(defaultRate(tenants).rate).toBeLessThan(2 * baseRate)
    const gangPhoneSet = new Set([...byPhone.entries()].filter(([, c]) => c >= 2).map(([p]) => p))
    const gangFirms = data.enterprises.filter((e) => gangPhoneSet.has(e.phoneHash!)).map((e) => e.uscc)
    expect(defaultRate(gangFirms).rate).toBeGreaterThan(3 * baseRate)
  })

  it('has guarantee chains and circles covering 1-2.5% of firms', () => {
    const members = guaranteeCircleMembers(data.relations)
    expect(share(members.size, N)).toBeGreaterThan(0.01)
    expect(share(members.size, N)).toBeLessThan(0.025)
  })
})

describe('synthetic portfolio: ground truth', () => {
  it('defaults about 5% of firms, responds about 10%, with PDs in (0, 1)', () => {
    expect(baseRate).toBeGreaterThan(0.03)
    expect(baseRate).toBeLessThan(0.07)
    const responded = share(data.truth.filter((t) => t.responded).length, N)
    expect(responded).toBeGreaterThan(0.08)
    expect(responded).toBeLessThan(0.12)
    expect(data.truth.every((t) => t.truePd > 0 && t.truePd < 1)).toBe(true)
    const meanPd = data.truth.reduce((s, t) => s + t.truePd, 0) / N
    expect(Math.abs(meanPd - baseRate)).toBeLessThan(0.01)
  })

  it('ties PD to observable drivers: tax grade D and abnormal status default far more than A and active', () => {
    const gradeOf = new Map(data.taxFilings.filter((t) => t.grade).map((t) => [t.uscc, t.grade!]))
    const rate = (g: string) => defaultRate([...gradeOf].filter(([, x]) => x === g).map(([u]) => u)).rate
    expect(rate('D')).toBeGreaterThan(4 * rate('A'))
    const abnormal = data.enterprises.filter((e) => e.status === 'ABNORMAL').map((e) => e.uscc)
    expect(defaultRate(abnormal).rate).toBeGreaterThan(2 * baseRate)
  })

  it('carries graph contagion: guarantors of defaulters and circle members default clearly more often', () => {
    const guarantors = new Set<string>()
    for (const r of data.relations) if (r.type === 'GUARANTEE' && defaulted.has(r.toId)) guarantors.add(r.fromId)
    const g = defaultRate(guarantors)
    expect(g.count).toBeGreaterThan(30)
    expect(g.rate).toBeGreaterThan(2.5 * baseRate)
    expect(defaultRate(guaranteeCircleMembers(data.relations)).rate).toBeGreaterThan(1.5 * baseRate)
    // firms whose controlling parent defaulted
    const children = new Set<string>()
    for (const r of data.relations) {
      if (r.type === 'SHAREHOLDER' && r.fromType === 'enterprise' && r.ratio! >= 0.3 && defaulted.has(r.fromId)) children.add(r.toId)
    }
    expect(defaultRate(children).rate).toBeGreaterThan(1.5 * baseRate)
  })
})
