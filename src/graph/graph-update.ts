/**
 * Incremental changes between full rebuilds: new edges and attribute memberships go to overflow lists that
 * every traversal reads, and `compactGraph` merges them on the next rebuild.
 */
import type { EnterpriseRow, NodeType, PersonRow, RelationRow } from '../enterprises/enterprises.types.js'
import { EDGE_CODE, T_GUARANTEE, T_LEGAL_REP } from './edge-types.js'
import {
  type AttributeIndex, type CreditGraph, KIND_ENTERPRISE, KIND_PERSON, appendEdge, appendNode, forEachOut,
  internAttribute, pushExtra, resolveNode,
} from './graph.js'

export interface EdgeChange {
  edge: number
  src: number
  dst: number
  /** True when the relation already existed (a GUARANTEE duplicate adds its amount to the existing edge). */
  duplicate: boolean
}

/** Adds one relation; null when it is skipped (self-relation or already ended at `asOf`). */
export function addRelation(g: CreditGraph, r: RelationRow, asOf?: string): EdgeChange | null {
  if (asOf !== undefined && r.until && r.until <= asOf) return null
  const t = EDGE_CODE[r.type]
  if (t === undefined) throw new RangeError(`Unknown relation type ${String(r.type)}`)
  // A self-relation carries no risk information and would count the node as its own neighbour.
  if (r.fromType === r.toType && r.fromId === r.toId) return null
  const s = resolveNode(g, r.fromType === 'person' ? KIND_PERSON : KIND_ENTERPRISE, r.fromId)
  const d = resolveNode(g, r.toType === 'person' ? KIND_PERSON : KIND_ENTERPRISE, r.toId)
  return addEdge(g, s, d, t, r.ratio ?? Number.NaN, r.amount ?? 0)
}

function addEdge(g: CreditGraph, s: number, d: number, t: number, ratio: number, amount: number): EdgeChange {
  let existing = -1
  forEachOut(g, s, (nbr, e) => { if (existing < 0 && nbr === d && g.type[e] === t) existing = e })
  if (existing >= 0) {
    if (t === T_GUARANTEE) g.amount[existing]! += amount
    return { edge: existing, src: s, dst: d, duplicate: true }
  }
  const e = appendEdge(g, s, d, t, ratio, amount)
  pushExtra(g.extraOut, s, e)
  pushExtra(g.extraIn, d, e)
  return { edge: e, src: s, dst: d, duplicate: false }
}

/**
 * Adds an enterprise, fills a placeholder, or updates capital and blacklist flag of a known one. Attributes
 * that were absent may be set; changing a present phone, address or legal representative needs a rebuild
 * because the CSR attribute index cannot drop members.
 */
export function addEnterprise(g: CreditGraph, r: EnterpriseRow): number {
  let v = g.enterpriseIndex.get(r.uscc)
  if (v === undefined) v = appendNode(g, KIND_ENTERPRISE, r.uscc)
  g.placeholder[v] = 0
  g.registeredCapital[v] = Number.isFinite(r.registeredCapital) ? r.registeredCapital : 0
  g.blacklisted[v] = r.blacklisted === true ? 1 : 0
  setAttribute(g, g.phones, g.phone, v, r.phoneHash, 'phoneHash')
  setAttribute(g, g.addresses, g.address, v, r.addressHash, 'addressHash')
  if (r.legalRepPersonId) {
    const p = resolveNode(g, KIND_PERSON, r.legalRepPersonId)
    const old = g.legalRep[v]!
    if (old >= 0 && old !== p) throw new Error(`Changing legalRepPersonId of ${r.uscc} needs a full rebuild`)
    g.legalRep[v] = p
    addEdge(g, p, v, T_LEGAL_REP, Number.NaN, 0)
  }
  return v
}

function setAttribute(
  g: CreditGraph, index: AttributeIndex, valueOf: Int32Array, v: number, raw: string | null | undefined, field: string,
): void {
  const a = internAttribute(index, raw)
  const old = valueOf[v]!
  if (a === old || a < 0) return
  if (old >= 0) throw new Error(`Changing ${field} of ${g.ids[v]} needs a full rebuild`)
  valueOf[v] = a
  pushExtra(index.extra, a, v)
}

export function addPerson(g: CreditGraph, r: PersonRow): number {
  const v = resolveNode(g, KIND_PERSON, r.id)
  g.placeholder[v] = 0
  g.blacklisted[v] = r.blacklisted === true ? 1 : 0
  return v
}

/** Sets the blacklist flag of a known node; returns its id, or undefined when unknown. */
export function setBlacklisted(g: CreditGraph, kind: NodeType, id: string, flag: boolean): number | undefined {
  const v = (kind === 'person' ? g.personIndex : g.enterpriseIndex).get(id)
  if (v !== undefined) g.blacklisted[v] = flag ? 1 : 0
  return v
}
