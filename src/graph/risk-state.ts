/** Node-level risk flags resolved once from USCC sets, so repeated incremental updates do not rebuild them. */
import { typeMask, typeWeights } from './edge-types.js'
import { type CreditGraph, KIND_ENTERPRISE } from './graph.js'
import { type GraphParams, resolveParams } from './graph-params.js'

export interface RiskInput {
  /** Defaulted or high-warning enterprises: a set, or USCC → time of the risk event (ms since epoch). */
  risky: ReadonlySet<string> | ReadonlyMap<string, number | null>
  /** Dishonest judgment debtors (失信被执行人) from events; they count as blacklisted parties. */
  dishonest?: ReadonlySet<string>
  /** Reference time for decay, ms since epoch. */
  now: number
  params?: Partial<GraphParams>
}

export interface RiskState {
  params: GraphParams
  risky: Uint8Array
  /** exp(-λ·age) of the node's risk event; 1 when no time was given. */
  decay: Float64Array
  dishonest: Uint8Array
  blacklistMask: number
  defaultedMask: number
  weights: Float64Array
}

const DAY_MS = 86_400_000

export function prepareRisk(g: CreditGraph, input: RiskInput): RiskState {
  const params = resolveParams(input.params)
  const n = g.nodeCount
  const risky = new Uint8Array(n)
  const decay = new Float64Array(n)
  const dishonest = new Uint8Array(n)
  const lambda = Math.LN2 / params.halfLifeDays
  const mark = (uscc: string, at: number | null | undefined): void => {
    const v = g.enterpriseIndex.get(uscc)
    if (v === undefined || g.kind[v] !== KIND_ENTERPRISE) return
    risky[v] = 1
    const ageDays = at === null || at === undefined ? 0 : Math.max(0, (input.now - at) / DAY_MS)
    decay[v] = Math.exp(-lambda * ageDays)
  }
  if (input.risky instanceof Map) for (const [u, at] of input.risky) mark(u, at)
  else for (const u of input.risky.keys()) mark(u, null)
  for (const u of input.dishonest ?? []) {
    const v = g.enterpriseIndex.get(u)
    if (v !== undefined) dishonest[v] = 1
  }
  return {
    params, risky, decay, dishonest,
    blacklistMask: typeMask(params.blacklistTypes),
    defaultedMask: typeMask(params.defaultedTypes),
    weights: typeWeights(params.riskWeights),
  }
}

/** Blacklisted enterprise or person, or dishonest enterprise. Nodes added after prepareRisk are read as not dishonest. */
export function isBadParty(g: CreditGraph, s: RiskState, v: number): boolean {
  return g.blacklisted[v] === 1 || s.dishonest[v] === 1
}

export function isRisky(s: RiskState, v: number): boolean {
  return s.risky[v] === 1
}
