/**
 * The in-memory relation graph: enterprises and persons share one node index space; edges live in parallel
 * typed arrays sorted by source (CSR "out" ranges are contiguous edge ids) with an "in" index of edge ids.
 * Edges and nodes added after the last compaction sit in overflow lists until the next `compactGraph`.
 */
import { ensureCapacity } from './growable.js'

export const KIND_ENTERPRISE = 0
export const KIND_PERSON = 1

/** value → member enterprises for one shared attribute (phone hash, address hash), CSR plus overflow. */
export interface AttributeIndex {
  ids: Map<string, number>
  start: Int32Array
  members: Int32Array
  csrValues: number
  extra: Map<number, number[]>
}

export interface CreditGraph {
  nodeCount: number
  kind: Uint8Array
  ids: string[]
  enterpriseIndex: Map<string, number>
  personIndex: Map<string, number>
  blacklisted: Uint8Array
  /** Referenced by a relation before (or without) its own row. */
  placeholder: Uint8Array
  registeredCapital: Float64Array
  /** Attribute value ids, -1 when absent. */
  phone: Int32Array
  address: Int32Array
  /** Legal representative person node from the enterprise row, -1 when absent; compaction turns it into a LEGAL_REP edge. */
  legalRep: Int32Array
  /** Enterprise node ids in insertion order; feature columns are aligned to it. */
  enterpriseNodes: Int32Array
  enterpriseCount: number
  /** node → position in enterpriseNodes, -1 for persons. */
  ordinal: Int32Array

  edgeCount: number
  src: Int32Array
  dst: Int32Array
  type: Uint8Array
  ratio: Float64Array
  amount: Float64Array

  csrNodeCount: number
  csrEdgeCount: number
  outStart: Int32Array
  inStart: Int32Array
  inEdges: Int32Array
  extraOut: Map<number, number[]>
  extraIn: Map<number, number[]>

  phones: AttributeIndex
  addresses: AttributeIndex
}

function emptyAttributeIndex(): AttributeIndex {
  return { ids: new Map(), start: new Int32Array(1), members: new Int32Array(0), csrValues: 0, extra: new Map() }
}

export function createEmptyGraph(): CreditGraph {
  return {
    nodeCount: 0, kind: new Uint8Array(16), ids: [], enterpriseIndex: new Map(), personIndex: new Map(),
    blacklisted: new Uint8Array(16), placeholder: new Uint8Array(16), registeredCapital: new Float64Array(16),
    phone: new Int32Array(16).fill(-1), address: new Int32Array(16).fill(-1), legalRep: new Int32Array(16).fill(-1),
    enterpriseNodes: new Int32Array(16), enterpriseCount: 0, ordinal: new Int32Array(16).fill(-1),
    edgeCount: 0, src: new Int32Array(16), dst: new Int32Array(16), type: new Uint8Array(16),
    ratio: new Float64Array(16), amount: new Float64Array(16),
    csrNodeCount: 0, csrEdgeCount: 0, outStart: new Int32Array(1), inStart: new Int32Array(1),
    inEdges: new Int32Array(0), extraOut: new Map(), extraIn: new Map(),
    phones: emptyAttributeIndex(), addresses: emptyAttributeIndex(),
  }
}

/** Appends a node (no index maps touched); returns its id. */
export function appendNode(g: CreditGraph, kind: number, id: string): number {
  const v = g.nodeCount
  const need = v + 1
  g.kind = ensureCapacity(g.kind, need)
  g.blacklisted = ensureCapacity(g.blacklisted, need)
  g.placeholder = ensureCapacity(g.placeholder, need)
  g.registeredCapital = ensureCapacity(g.registeredCapital, need)
  g.phone = ensureCapacity(g.phone, need, -1)
  g.address = ensureCapacity(g.address, need, -1)
  g.legalRep = ensureCapacity(g.legalRep, need, -1)
  g.ordinal = ensureCapacity(g.ordinal, need, -1)
  g.kind[v] = kind
  g.ids.push(id)
  g.nodeCount = need
  if (kind === KIND_ENTERPRISE) {
    g.enterpriseIndex.set(id, v)
    g.enterpriseNodes = ensureCapacity(g.enterpriseNodes, g.enterpriseCount + 1)
    g.enterpriseNodes[g.enterpriseCount] = v
    g.ordinal[v] = g.enterpriseCount++
  } else {
    g.personIndex.set(id, v)
  }
  return v
}

/** Node id of an enterprise or person, creating a placeholder node when it is not known yet. */
export function resolveNode(g: CreditGraph, kind: number, id: string): number {
  const index = kind === KIND_ENTERPRISE ? g.enterpriseIndex : g.personIndex
  const known = index.get(id)
  if (known !== undefined) return known
  const v = appendNode(g, kind, id)
  g.placeholder[v] = 1
  return v
}

export function appendEdge(g: CreditGraph, s: number, d: number, t: number, ratio: number, amount: number): number {
  const e = g.edgeCount
  const need = e + 1
  g.src = ensureCapacity(g.src, need)
  g.dst = ensureCapacity(g.dst, need)
  g.type = ensureCapacity(g.type, need)
  g.ratio = ensureCapacity(g.ratio, need)
  g.amount = ensureCapacity(g.amount, need)
  g.src[e] = s
  g.dst[e] = d
  g.type[e] = t
  g.ratio[e] = ratio
  g.amount[e] = amount
  g.edgeCount = need
  return e
}

export function internAttribute(index: AttributeIndex, value: string | null | undefined): number {
  if (value === null || value === undefined || value === '') return -1
  const known = index.ids.get(value)
  if (known !== undefined) return known
  const id = index.ids.size
  index.ids.set(value, id)
  return id
}

/** Calls fn(neighbour, edgeId, isOut) for every edge touching v, CSR part first, then overflow. */
export function forEachIncident(g: CreditGraph, v: number, fn: (nbr: number, e: number, isOut: boolean) => void): void {
  if (v < g.csrNodeCount) {
    const oEnd = g.outStart[v + 1]!
    for (let e = g.outStart[v]!; e < oEnd; e++) fn(g.dst[e]!, e, true)
    const iEnd = g.inStart[v + 1]!
    for (let k = g.inStart[v]!; k < iEnd; k++) { const e = g.inEdges[k]!; fn(g.src[e]!, e, false) }
  }
  const xo = g.extraOut.get(v)
  if (xo) for (const e of xo) fn(g.dst[e]!, e, true)
  const xi = g.extraIn.get(v)
  if (xi) for (const e of xi) fn(g.src[e]!, e, false)
}

export function forEachOut(g: CreditGraph, v: number, fn: (nbr: number, e: number) => void): void {
  if (v < g.csrNodeCount) {
    const oEnd = g.outStart[v + 1]!
    for (let e = g.outStart[v]!; e < oEnd; e++) fn(g.dst[e]!, e)
  }
  const xo = g.extraOut.get(v)
  if (xo) for (const e of xo) fn(g.dst[e]!, e)
}

export function forEachIn(g: CreditGraph, v: number, fn: (nbr: number, e: number) => void): void {
  if (v < g.csrNodeCount) {
    const iEnd = g.inStart[v + 1]!
    for (let k = g.inStart[v]!; k < iEnd; k++) { const e = g.inEdges[k]!; fn(g.src[e]!, e) }
  }
  const xi = g.extraIn.get(v)
  if (xi) for (const e of xi) fn(g.src[e]!, e)
}

/** Calls fn(enterprise) for each member of attribute value `value`. */
export function forEachMember(index: AttributeIndex, value: number, fn: (v: number) => void): void {
  if (value < index.csrValues) {
    const end = index.start[value + 1]!
    for (let k = index.start[value]!; k < end; k++) fn(index.members[k]!)
  }
  const x = index.extra.get(value)
  if (x) for (const v of x) fn(v)
}

export function memberCount(index: AttributeIndex, value: number): number {
  let n = value < index.csrValues ? index.start[value + 1]! - index.start[value]! : 0
  const x = index.extra.get(value)
  if (x) n += x.length
  return n
}

export function enterpriseNode(g: CreditGraph, uscc: string): number | undefined {
  return g.enterpriseIndex.get(uscc)
}

export function pushExtra(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
