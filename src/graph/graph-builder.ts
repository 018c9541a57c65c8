/**
 * Builds a CreditGraph from row batches (the loader streams millions of rows, in any order: a relation may
 * arrive before its enterprise, which then starts as a placeholder) and compacts it into CSR form.
 */
import type { EnterpriseRow, PersonRow, RelationRow } from '../enterprises/enterprises.types.js'
import { EDGE_CODE, T_GUARANTEE, T_LEGAL_REP } from './edge-types.js'
import {
  type AttributeIndex, type CreditGraph, KIND_ENTERPRISE, KIND_PERSON, appendEdge, appendNode, createEmptyGraph,
  internAttribute, resolveNode,
} from './graph.js'

export interface BuildOptions {
  /** Relations whose `until` is on or before this date (YYYY-MM-DD) have ended and are skipped. */
  asOf?: string
}

export interface GraphBuilder {
  addEnterprises(rows: Iterable<EnterpriseRow>): void
  addPersons(rows: Iterable<PersonRow>): void
  addRelations(rows: Iterable<RelationRow>): void
  /** Compacts and returns the graph; the builder must not be used afterwards. */
  build(): CreditGraph
}

export function createGraphBuilder(options: BuildOptions = {}): GraphBuilder {
  const g = createEmptyGraph()
  return {
    addEnterprises(rows) { for (const r of rows) applyEnterpriseRow(g, r) },
    addPersons(rows) { for (const r of rows) applyPersonRow(g, r) },
    addRelations(rows) { for (const r of rows) appendRelationRow(g, r, options.asOf) },
    build() { compactGraph(g); return g },
  }
}

/** One-shot convenience over the builder. */
export function buildGraph(
  enterprises: Iterable<EnterpriseRow>, persons: Iterable<PersonRow>, relations: Iterable<RelationRow>,
  options: BuildOptions = {},
): CreditGraph {
  const b = createGraphBuilder(options)
  b.addEnterprises(enterprises)
  b.addPersons(persons)
  b.addRelations(relations)
  return b.build()
}

/** Sets the row's attributes on its node (new or placeholder); returns the node id. Attribute indexes are not touched. */
export function applyEnterpriseRow(g: CreditGraph, r: EnterpriseRow): number {
  let v = g.enterpriseIndex.get(r.uscc)
  if (v === undefined) v = appendNode(g, KIND_ENTERPRISE, r.uscc)
  g.placeholder[v] = 0
  g.registeredCapital[v] = Number.isFinite(r.registeredCapital) ? r.registeredCapital : 0
  g.blacklisted[v] = r.blacklisted === true ? 1 : 0
  g.phone[v] = internAttribute(g.phones, r.phoneHash)
  g.address[v] = internAttribute(g.addresses, r.addressHash)
  // Resolve before indexing g.legalRep: creating the person may reallocate the node arrays.
  const rep = r.legalRepPersonId ? resolveNode(g, KIND_PERSON, r.legalRepPersonId) : -1
  g.legalRep[v] = rep
  return v
}

export function applyPersonRow(g: CreditGraph, r: PersonRow): number {
  const v = resolveNode(g, KIND_PERSON, r.id)
  g.placeholder[v] = 0
  g.blacklisted[v] = r.blacklisted === true ? 1 : 0
  return v
}

/** Appends the relation's edge; returns its id, or -1 when skipped (ended, self-loop). */
export function appendRelationRow(g: CreditGraph, r: RelationRow, asOf?: string): number {
  if (asOf !== undefined && r.until && r.until <= asOf) return -1
  const t = EDGE_CODE[r.type]
  if (t === undefined) throw new RangeError(`Unknown relation type ${String(r.type)}`)
  // A self-relation carries no risk information and would count the node as its own neighbour.
  if (r.fromType === r.toType && r.fromId === r.toId) return -1
  const s = resolveNode(g, r.fromType === 'person' ? KIND_PERSON : KIND_ENTERPRISE, r.fromId)
  const d = resolveNode(g, r.toType === 'person' ? KIND_PERSON : KIND_ENTERPRISE, r.toId)
  return appendEdge(g, s, d, t, r.ratio ?? Number.NaN, r.amount ?? 0)
}

/**
 * Merges overflow edges and nodes into CSR: sorts edges by source, drops exact duplicates (same source,
 * target and type; duplicate GUARANTEE rows are separate loans, so their amounts add up), rebuilds the in-index
 * and the attribute indexes. Edge ids change.
 */
export function compactGraph(g: CreditGraph): void {
  const n = g.nodeCount
  for (let i = 0; i < g.enterpriseCount; i++) {
    const v = g.enterpriseNodes[i]!
    const p = g.legalRep[v]!
    if (p >= 0) appendEdge(g, p, v, T_LEGAL_REP, Number.NaN, 0)
  }
  const m = g.edgeCount
  const outStart = new Int32Array(n + 1)
  for (let e = 0; e < m; e++) outStart[g.src[e]! + 1]!++
  for (let v = 0; v < n; v++) outStart[v + 1]! += outStart[v]!
  const cursor = outStart.slice(0, n)
  const order = new Int32Array(m)
  for (let e = 0; e < m; e++) order[cursor[g.src[e]!]!++] = e

  const src = new Int32Array(m)
  const dst = new Int32Array(m)
  const type = new Uint8Array(m)
  const ratio = new Float64Array(m)
  const amount = new Float64Array(m)
  const stamp = new Int32Array(n)
  const seenTypes = new Uint16Array(n)
  const guaranteeKept = new Int32Array(n)
  let k = 0
  for (let v = 0; v < n; v++) {
    const begin = outStart[v]!
    const end = outStart[v + 1]!
    outStart[v] = k
    for (let i = begin; i < end; i++) {
      const e = order[i]!
      const d = g.dst[e]!
      const t = g.type[e]!
      const bit = 1 << t
      if (stamp[d] !== v + 1) { stamp[d] = v + 1; seenTypes[d] = 0 }
      if (seenTypes[d]! & bit) {
        if (t === T_GUARANTEE) amount[guaranteeKept[d]!]! += g.amount[e]!
        continue
      }
      seenTypes[d]! |= bit
      if (t === T_GUARANTEE) guaranteeKept[d] = k
      src[k] = v; dst[k] = d; type[k] = t; ratio[k] = g.ratio[e]!; amount[k] = g.amount[e]!
      k++
    }
  }
  outStart[n] = k
  g.src = src; g.dst = dst; g.type = type; g.ratio = ratio; g.amount = amount
  g.edgeCount = k
  g.outStart = outStart

  const inStart = new Int32Array(n + 1)
  for (let e = 0; e < k; e++) inStart[dst[e]! + 1]!++
  for (let v = 0; v < n; v++) inStart[v + 1]! += inStart[v]!
  const inCursor = inStart.slice(0, n)
  const inEdges = new Int32Array(k)
  for (let e = 0; e < k; e++) inEdges[inCursor[dst[e]!]!++] = e
  g.inStart = inStart
  g.inEdges = inEdges
  g.extraOut = new Map()
  g.extraIn = new Map()
  g.csrNodeCount = n
  g.csrEdgeCount = k
  indexAttribute(g, g.phones, g.phone)
  indexAttribute(g, g.addresses, g.address)
}

function indexAttribute(g: CreditGraph, index: AttributeIndex, valueOf: Int32Array): void {
  const values = index.ids.size
  const start = new Int32Array(values + 1)
  for (let i = 0; i < g.enterpriseCount; i++) {
    const a = valueOf[g.enterpriseNodes[i]!]!
    if (a >= 0) start[a + 1]!++
  }
  for (let a = 0; a < values; a++) start[a + 1]! += start[a]!
  const cursor = start.slice(0, values)
  const members = new Int32Array(start[values]!)
  for (let i = 0; i < g.enterpriseCount; i++) {
    const v = g.enterpriseNodes[i]!
    const a = valueOf[v]!
    if (a >= 0) members[cursor[a]!++] = v
  }
  index.start = start
  index.members = members
  index.csrValues = values
  index.extra = new Map()
}
