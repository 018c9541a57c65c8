/** Test helper: runs the generator and gathers its batches by kind, remembering the order of kinds. */
import type { BranchRow, EnterpriseRow, PersonRow, RelationRow, TaxFilingRow } from '../../src/enterprises/enterprises.types.js'
import { generatePortfolio, type GenerateOptions, type PortfolioBatch, type TruthRow } from '../../src/synth/generate.js'

export interface Collected {
  order: PortfolioBatch['kind'][]
  branches: BranchRow[]
  persons: PersonRow[]
  enterprises: EnterpriseRow[]
  relations: RelationRow[]
  taxFilings: TaxFilingRow[]
  truth: TruthRow[]
  batchSizes: number[]
}

export function collect(options: GenerateOptions): Collected {
  const out: Collected = {
    order: [], branches: [], persons: [], enterprises: [], relations: [], taxFilings: [], truth: [], batchSizes: [],
  }
  for (const batch of generatePortfolio(options)) {
    out.order.push(batch.kind)
    out.batchSizes.push(batch.rows.length)
    const target = out[batch.kind] as unknown[]
    for (const row of batch.rows) target.push(row)
  }
  return out
}

export function countBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, number> {
  const m = new Map<string, number>()
  for (const r of rows) {
    const k = key(r)
    m.set(k, (m.get(k) ?? 0) + 1)
  }
  return m
}

/** Strongly connected components of size ≥ 2 among GUARANTEE edges (a plain recursive-free Kosaraju). */
export function guaranteeCircleMembers(relations: readonly RelationRow[]): Set<string> {
  const out = new Map<string, string[]>()
  const back = new Map<string, string[]>()
  for (const r of relations) {
    if (r.type !== 'GUARANTEE') continue
    if (!out.has(r.fromId)) out.set(r.fromId, [])
    if (!back.has(r.toId)) back.set(r.toId, [])
    out.get(r.fromId)!.push(r.toId)
    back.get(r.toId)!.push(r.fromId)
  }
  const nodes = new Set([...out.keys(), ...back.keys()])
  const finished: string[] = []
  const seen = new Set<string>()
  for (const root of nodes) {
    if (seen.has(root)) continue
    seen.add(root)
    const stack: [string, number][] = [[root, 0]]
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!
      const next = out.get(top[0]) ?? []
      if (top[1] < next.length) {
        const w = next[top[1]++]!
        if (!seen.has(w)) {
          seen.add(w)
          stack.push([w, 0])
        }
      } else {
        finished.push(top[0])
        stack.pop()
      }
    }
  }
  const members = new Set<string>()
  const assigned = new Set<string>()
  for (let k = finished.length - 1; k >= 0; k--) {
    const root = finished[k]!
    if (assigned.has(root)) continue
    const component = [root]
    assigned.add(root)
    for (let j = 0; j < component.length; j++) {
      for (const w of back.get(component[j]!) ?? []) {
        if (!assigned.has(w)) {
          assigned.add(w)
          component.push(w)
        }
      }
    }
    if (component.length >= 2) for (const c of component) members.add(c)
  }
  return members
}
