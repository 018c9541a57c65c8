/**
 * Propagation of a warning over the relation graph (pure over the in-memory CreditGraph):
 * the `warning-propagation` rule set decides each candidate's level from facts describing one relation
 * dimension, from the warned enterprise W to the candidate X:
 * - SHAREHOLDER: W holds a share of X (SHAREHOLDER or INVESTMENT edge W→X), shareholdingRatio = that share;
 * - EQUITY_HOLDING: X holds a share of W (edge X→W);
 * - EXECUTIVE: a person is executive or legal representative of both (the person is kept in the path);
 * - SUPPLIER: W supplies X (SUPPLIER W→X or CUSTOMER X→W); tradeShare = W's share of X's purchases;
 * - CUSTOMER: W buys from X (CUSTOMER W→X or SUPPLIER X→W); tradeShare = W's share of X's sales;
 * - GUARANTEE: X guarantees W (guaranteeRole GUARANTOR) or W guarantees X (GUARANTEED).
 * Trade shares are amount-weighted over the counterparty's suppliers (customers) when amounts are recorded,
 * else an equal split. Depth 2 follows chains of one dimension (a shareholder's shareholder, a guarantor's
 * guarantor): the ratio facts multiply along the chain (穿透 shares) and guaranteeRole must agree; mixed-dimension
 * paths are not evaluated, since the set's facts describe a single dimension. Each candidate keeps its best
 * path: highest level, then the shorter one, then the first found.
 */
import type { CompiledRuleSet } from '../rules/compile.js'
import type { WarningLevel } from '../rules/event-types.js'
import { KIND_ENTERPRISE, forEachIn, forEachOut, type CreditGraph } from '../graph/graph.js'
import {
  T_CUSTOMER, T_EXECUTIVE, T_GUARANTEE, T_INVESTMENT, T_LEGAL_REP, T_SHAREHOLDER, T_SUPPLIER, edgeTypeName,
} from '../graph/edge-types.js'
import { levelRank } from './levels.js'

export type Dimension = 'EXECUTIVE' | 'SHAREHOLDER' | 'EQUITY_HOLDING' | 'SUPPLIER' | 'CUSTOMER' | 'GUARANTEE'
export type GuaranteeRole = 'GUARANTOR' | 'GUARANTEED'

export interface PathNode { id: string; kind: 'enterprise' | 'person' }
export interface PathHop { relation: string; from: string; to: string; ratio: number | null; amount: number | null }
export interface RelationPath {
  dimension: Dimension
  depth: 1 | 2
  nodes: PathNode[]
  hops: PathHop[]
  shareholdingRatio: number | null
  tradeShare: number | null
  guaranteeRole: GuaranteeRole | null
}

export interface PropagatedWarning {
  uscc: string
  level: WarningLevel
  reasons: string[]
  path: RelationPath
}

/** A guard against hubs (agents, big groups): at most this many paths are evaluated per source warning. */
export const MAX_PATHS = 20_000

interface Step {
  node: number
  dimension: Dimension
  /** Nodes after the start, the last one being `node` (a person in between for EXECUTIVE). */
  via: number[]
  edges: number[]
  ratio: number | null
  tradeShare: number | null
  role: GuaranteeRole | null
}

const isShare = (t: number) => t === T_SHAREHOLDER || t === T_INVESTMENT
const isOffice = (t: number) => t === T_EXECUTIVE || t === T_LEGAL_REP
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null)

/** X's purchases (or sales) split by counterparty: the counterparty's share. */
function tradeShareOf(g: CreditGraph, x: number, counterparty: number, purchases: boolean): number {
  // purchases: X's suppliers are SUPPLIER s→X and CUSTOMER X→s; sales: SUPPLIER X→c and CUSTOMER c→X.
  const weights = new Map<number, number>()
  const add = (other: number, e: number) => weights.set(other, (weights.get(other) ?? 0) + Math.max(0, g.amount[e]!))
  if (purchases) {
    forEachIn(g, x, (s, e) => { if (g.type[e] === T_SUPPLIER) add(s, e) })
    forEachOut(g, x, (s, e) => { if (g.type[e] === T_CUSTOMER) add(s, e) })
  } else {
    forEachOut(g, x, (c, e) => { if (g.type[e] === T_SUPPLIER) add(c, e) })
    forEachIn(g, x, (c, e) => { if (g.type[e] === T_CUSTOMER) add(c, e) })
  }
  if (!weights.has(counterparty)) return 0
  let total = 0
  for (const w of weights.values()) total += w
  if (total > 0) return weights.get(counterparty)! / total
  return 1 / weights.size
}

/** One-hop neighbours of enterprise w along the six dimensions, seen from the neighbour. */
function steps(g: CreditGraph, w: number): Step[] {
  const out: Step[] = []
  const isFirm = (v: number) => g.kind[v] === KIND_ENTERPRISE && g.placeholder[v] !== 1
  forEachOut(g, w, (x, e) => {
    const t = g.type[e]!
    if (!isFirm(x) || x === w) return
    if (isShare(t)) out.push({ node: x, dimension: 'SHAREHOLDER', via: [x], edges: [e], ratio: finiteOrNull(g.ratio[e]!), tradeShare: null, role: null })
    else if (t === T_SUPPLIER) out.push({ node: x, dimension: 'SUPPLIER', via: [x], edges: [e], ratio: null, tradeShare: tradeShareOf(g, x, w, true), role: null })
    else if (t === T_CUSTOMER) out.push({ node: x, dimension: 'CUSTOMER', via: [x], edges: [e], ratio: null, tradeShare: tradeShareOf(g, x, w, false), role: null })
    else if (t === T_GUARANTEE) out.push({ node: x, dimension: 'GUARANTEE', via: [x], edges: [e], ratio: null, tradeShare: null, role: 'GUARANTEED' })
  })
  const persons: { p: number; e: number }[] = []
  forEachIn(g, w, (x, e) => {
    const t = g.type[e]!
    if (g.kind[x] !== KIND_ENTERPRISE) {
      if (isOffice(t) && !persons.some((q) => q.p === x)) persons.push({ p: x, e })
      return
    }
    if (!isFirm(x) || x === w) return
    if (isShare(t)) out.push({ node: x, dimension: 'EQUITY_HOLDING', via: [x], edges: [e], ratio: finiteOrNull(g.ratio[e]!), tradeShare: null, role: null })
    else if (t === T_CUSTOMER) out.push({ node: x, dimension: 'SUPPLIER', via: [x], edges: [e], ratio: null, tradeShare: tradeShareOf(g, x, w, true), role: null })
    else if (t === T_SUPPLIER) out.push({ node: x, dimension: 'CUSTOMER', via: [x], edges: [e], ratio: null, tradeShare: tradeShareOf(g, x, w, false), role: null })
    else if (t === T_GUARANTEE) out.push({ node: x, dimension: 'GUARANTEE', via: [x], edges: [e], ratio: null, tradeShare: null, role: 'GUARANTOR' })
  })
  const seen = new Set<number>()
  for (const { p, e } of persons) {
    forEachOut(g, p, (x, e2) => {
      if (!isOffice(g.type[e2]!) || x === w || !isFirm(x) || seen.has(x)) return
      seen.add(x)
      out.push({ node: x, dimension: 'EXECUTIVE', via: [p, x], edges: [e, e2], ratio: null, tradeShare: null, role: null })
    })
  }
  return out
}

function hopOf(g: CreditGraph, e: number): PathHop {
  const amount = g.amount[e]!
  return { relation: edgeTypeName(g.type[e]!), from: g.ids[g.src[e]!]!, to: g.ids[g.dst[e]!]!, ratio: finiteOrNull(g.ratio[e]!), amount: amount > 0 ? amount : null }
}

function pathOf(g: CreditGraph, w: number, first: Step, second: Step | null): RelationPath {
  const nodes = [w, ...first.via, ...(second ? second.via : [])]
  const edges = [...first.edges, ...(second ? second.edges : [])]
  const product = (a: number | null, b: number | null | undefined) => (b === undefined ? a : a === null || b === null ? null : a * b)
  return {
    dimension: first.dimension,
    depth: second ? 2 : 1,
    nodes: nodes.map((v) => ({ id: g.ids[v]!, kind: g.kind[v] === KIND_ENTERPRISE ? 'enterprise' : 'person' })),
    hops: edges.map((e) => hopOf(g, e)),
    shareholdingRatio: product(first.ratio, second?.ratio),
    tradeShare: product(first.tradeShare, second?.tradeShare),
    guaranteeRole: first.role,
  }
}

/** The warnings a source warning of `sourceLevel` on `sourceUscc` propagates, one per related enterprise. */
export function propagate(g: CreditGraph, rules: CompiledRuleSet, sourceUscc: string, sourceLevel: WarningLevel): PropagatedWarning[] {
  const w = g.enterpriseIndex.get(sourceUscc)
  if (w === undefined) return []
  const best = new Map<number, PropagatedWarning>()
  let evaluated = 0
  const consider = (x: number, path: RelationPath) => {
    if (x === w || evaluated >= MAX_PATHS) return
    evaluated++
    const { decision, fired } = rules.evaluate({
      relationType: path.dimension, shareholdingRatio: path.shareholdingRatio, tradeShare: path.tradeShare,
      depth: path.depth, sourceLevel, guaranteeRole: path.guaranteeRole,
    })
    const level = decision.level ?? null
    if (!level) return
    const known = best.get(x)
    if (known && (levelRank(known.level) > levelRank(level) || (known.level === level && known.path.depth <= path.depth))) return
    best.set(x, { uscc: g.ids[x]!, level, reasons: fired, path })
  }
  const first = steps(g, w)
  for (const s of first) consider(s.node, pathOf(g, w, s, null))
  for (const s of first) {
    for (const s2 of steps(g, s.node)) {
      if (s2.dimension !== s.dimension || s2.role !== s.role || s2.node === w) continue
      consider(s2.node, pathOf(g, w, s, s2))
    }
  }
  return [...best.values()]
}
