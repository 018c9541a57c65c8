/** SMEsD loading and its mapping onto the engine's graph rows (layout: /work/shared/datasets/README.md). */
import { existsSync, readFileSync } from 'node:fs'
import type { EnterpriseRow, PersonRow, RelationRow, RelationType } from '../../src/enterprises/enterprises.types.js'

export interface SmesdCompany { company_id: number; attr: [number, number, number]; label: number; lawsuits: number[][] }
export interface SmesdSplit {
  split: string
  companies: SmesdCompany[]
  edges: { pairs: Array<[number, number]>; type: number[]; weight: number[] }
}

export const FIRST_PERSON_ID = 4229

/**
 * Upstream does not document what the 9 edge types mean, so they are mapped onto relation types only as labels
 * (types 0-2 and part of 3 join a person and a company; 4-8 join companies). The validation passes parameters
 * that weigh and walk every type alike, so the mapping does not bias the result.
 */
export const SMESD_TYPE: readonly RelationType[] = [
  'LEGAL_REP', 'EXECUTIVE', 'SHAREHOLDER', 'INVESTMENT', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE', 'SAME_PHONE',
  'SAME_ADDRESS',
]

export function loadSplit(dir: string, name: string): SmesdSplit | undefined {
  const path = `${dir}/smesd_${name}.json`
  if (!existsSync(path)) return undefined
  return JSON.parse(readFileSync(path, 'utf8')) as SmesdSplit
}

export const companyId = (id: number): string => `c${id}`
export const personId = (id: number): string => `p${id}`

/** Graph rows from the union of the splits' edges; each undirected edge once (files list both directions). */
export function toRows(splits: SmesdSplit[]): { enterprises: EnterpriseRow[]; persons: PersonRow[]; relations: RelationRow[] } {
  const companies = new Map<number, SmesdCompany>()
  for (const s of splits) for (const c of s.companies) companies.set(c.company_id, c)
  const seen = new Set<string>()
  const relations: RelationRow[] = []
  const personIds = new Set<number>()
  const companyIds = new Set<number>(companies.keys())
  for (const s of splits) {
    s.edges.pairs.forEach(([a, b], i) => {
      const t = s.edges.type[i]!
      // Person endpoints go first so that person → company edges read like LEGAL_REP / SHAREHOLDER rows.
      const [from, to] = a >= FIRST_PERSON_ID ? [a, b] : b >= FIRST_PERSON_ID ? [b, a] : [Math.min(a, b), Math.max(a, b)]
      const key = `${from}:${to}:${t}`
      if (seen.has(key)) return
      seen.add(key)
      for (const x of [from, to]) (x >= FIRST_PERSON_ID ? personIds : companyIds).add(x)
      const kind = (x: number) => (x >= FIRST_PERSON_ID ? 'person' as const : 'enterprise' as const)
      const id = (x: number) => (x >= FIRST_PERSON_ID ? personId(x) : companyId(x))
      relations.push({ type: SMESD_TYPE[t]!, fromType: kind(from), fromId: id(from), toType: kind(to), toId: id(to) })
    })
  }
  const enterprises = [...companyIds].map((cid): EnterpriseRow => ({
    uscc: companyId(cid), name: companyId(cid), establishedOn: '2000-01-01',
    registeredCapital: companies.get(cid)?.attr[0] ?? 0, industryCode: '', regionCode: '', status: 'ACTIVE',
  }))
  const persons = [...personIds].map((p): PersonRow => ({ id: personId(p), nameMasked: '', birthYear: 0 }))
  return { enterprises, persons, relations }
}
