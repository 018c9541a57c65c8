/**
 * One change at a time: apply it to the graph, work out which enterprises' features it can change, and
 * recompute only those. Additions only shorten distances, so for the hop-based features the affected firms
 * are those within one hop of an endpoint (they now reach the other endpoint within two hops); a new
 * guarantee can change chains across its whole weak guarantee component; a new shared attribute can merge
 * or (by pushing a value over the hub cap) split communities, so their members before and after are included.
 */
import type { EnterpriseRow, RelationRow } from '../enterprises/enterprises.types.js'
import { EDGE_CODE, T_GUARANTEE, T_LEGAL_REP, T_SAME_ADDRESS, T_SAME_PHONE } from './edge-types.js'
import {
  type CreditGraph, KIND_ENTERPRISE, KIND_PERSON, forEachIncident, forEachMember, forEachOut, memberCount,
} from './graph.js'
import { type EdgeChange, addEnterprise, addRelation } from './graph-update.js'
import { type GraphFeatureRow, type GraphFeatures, computeNeighbourhoodFeatures } from './graph-features.js'
import { guaranteeComponent } from './guarantee-circles.js'
import { type RiskState, isBadParty } from './risk-state.js'
import { communityMembers } from './shared-attributes.js'

export interface IncrementalResult {
  change: EdgeChange | null
  /** USCCs whose features may have changed; `rows` holds their new values. */
  affected: string[]
  rows: Map<string, GraphFeatureRow>
}

const ATTRIBUTE_EDGES = new Set([T_LEGAL_REP, T_SAME_PHONE, T_SAME_ADDRESS])

/** Enterprise neighbours of v over type t, when v's degree on t is small enough to matter for the hub cap. */
function attributePeers(g: CreditGraph, v: number, t: number, cap: number, into: Set<number>): void {
  const peers: number[] = []
  // Only person → enterprise LEGAL_REP edges define a shared legal representative (as in shared-attributes).
  if (t === T_LEGAL_REP) {
    if (g.kind[v] === KIND_PERSON) forEachOut(g, v, (x, e) => { if (g.type[e] === t && g.kind[x] === KIND_ENTERPRISE) peers.push(x) })
  } else {
    forEachIncident(g, v, (x, e) => { if (g.type[e] === t && g.kind[x] === KIND_ENTERPRISE) peers.push(x) })
  }
  // Beyond cap + 1 links the node was a hub before the change and is one after: nothing moves through it.
  if (peers.length <= cap + 1) for (const x of peers) into.add(x)
}

function reachesNeighbours(g: CreditGraph, risk: RiskState, end: number, other: number): boolean {
  return isBadParty(g, risk, other) || (g.kind[end] === KIND_PERSON && risk.risky[other] === 1)
}

function closedNeighbourhood(g: CreditGraph, v: number, into: Set<number>): void {
  if (g.kind[v] === KIND_ENTERPRISE) into.add(v)
  forEachIncident(g, v, (x) => { if (g.kind[x] === KIND_ENTERPRISE) into.add(x) })
}

export function applyRelation(
  g: CreditGraph, row: RelationRow, risk: RiskState, snapshot?: GraphFeatures, asOf?: string,
): IncrementalResult {
  const t = EDGE_CODE[row.type]
  const cap = risk.params.hubCap
  const limit = risk.params.maxCommunityUpdate
  const known = (type: string, id: string): number | undefined =>
    (type === 'person' ? g.personIndex : g.enterpriseIndex).get(id)
  const before = new Set<number>()
  const isAttribute = t !== undefined && ATTRIBUTE_EDGES.has(t)
  if (isAttribute) {
    const seeds = new Set<number>()
    for (const v of [known(row.fromType, row.fromId), known(row.toType, row.toId)]) {
      if (v === undefined) continue
      seeds.add(v)
      attributePeers(g, v, t, cap, seeds)
    }
    for (const m of communityMembers(g, seeds, cap, limit)) before.add(m)
  }
  const change = addRelation(g, row, asOf)
  if (!change) return { change, affected: [], rows: new Map() }
  const affected = new Set<number>(before)
  for (const v of [change.src, change.dst]) if (g.kind[v] === KIND_ENTERPRISE) affected.add(v)
  // A neighbour x of endpoint a gains only the other endpoint b within two hops (x–a–b): its blacklist count
  // moves only when b is a bad party, and its risk score only when a is a person and b is risky. Direct
  // neighbours, degrees and everything else of x are unchanged, so x is skipped otherwise (hubs stay cheap).
  if (reachesNeighbours(g, risk, change.src, change.dst)) closedNeighbourhood(g, change.src, affected)
  if (reachesNeighbours(g, risk, change.dst, change.src)) closedNeighbourhood(g, change.dst, affected)
  if (g.type[change.edge] === T_GUARANTEE) {
    for (const v of guaranteeComponent(g, [change.src, change.dst])) if (g.kind[v] === KIND_ENTERPRISE) affected.add(v)
  }
  if (isAttribute) {
    const seeds = new Set<number>([change.src, change.dst])
    attributePeers(g, change.src, t, cap, seeds)
    attributePeers(g, change.dst, t, cap, seeds)
    for (const m of communityMembers(g, seeds, cap, limit)) affected.add(m)
  }
  return finish(g, affected, risk, snapshot, change)
}

/**
 * Adds or updates one enterprise (see addEnterprise for what may change). A changed blacklist flag reaches
 * two hops, so everything within two hops is recomputed.
 */
export function applyEnterprise(
  g: CreditGraph, row: EnterpriseRow, risk: RiskState, snapshot?: GraphFeatures,
): IncrementalResult {
  const cap = risk.params.hubCap
  const limit = risk.params.maxCommunityUpdate
  const seeds = (v: number | undefined): Set<number> => {
    const s = new Set<number>()
    // A new firm has no node yet, but the firms it will share values with must be seeded all the same.
    if (v !== undefined) s.add(v)
    for (const index of [g.phones, g.addresses]) {
      const raw = index === g.phones ? row.phoneHash : row.addressHash
      const a = raw ? index.ids.get(raw) : undefined
      if (a !== undefined && memberCount(index, a) <= cap + 1) forEachMember(index, a, (x) => s.add(x))
    }
    const p = row.legalRepPersonId ? g.personIndex.get(row.legalRepPersonId) : undefined
    if (p !== undefined) attributePeers(g, p, T_LEGAL_REP, cap, s)
    if (v !== undefined) {
      forEachIncident(g, v, (x, e) => { if (g.type[e] === T_LEGAL_REP) attributePeers(g, x, T_LEGAL_REP, cap, s) })
    }
    return s
  }
  const affected = communityMembers(g, seeds(g.enterpriseIndex.get(row.uscc)), cap, limit)
  const v = addEnterprise(g, row)
  for (const m of communityMembers(g, seeds(v), cap, limit)) affected.add(m)
  const seen = new Set<number>([v])
  const frontier = [v]
  for (let hop = 0; hop < 2; hop++) {
    const next: number[] = []
    for (const u of frontier) {
      forEachIncident(g, u, (x) => { if (!seen.has(x)) { seen.add(x); next.push(x) } })
    }
    frontier.splice(0, frontier.length, ...next)
  }
  for (const x of seen) if (g.kind[x] === KIND_ENTERPRISE) affected.add(x)
  return finish(g, affected, risk, snapshot, null)
}

function finish(
  g: CreditGraph, affected: Set<number>, risk: RiskState, snapshot: GraphFeatures | undefined,
  change: EdgeChange | null,
): IncrementalResult {
  const usccs = [...affected].map((v) => g.ids[v]!)
  return { change, affected: usccs, rows: computeNeighbourhoodFeatures(g, usccs, risk, snapshot) }
}
