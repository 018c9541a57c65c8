/**
 * Risk proximity: blacklisted/dishonest parties within 1 and 2 hops, risky neighbours within 1 hop and the
 * time-decayed neighbour risk score. Each comes twice: a full pass that pushes from the (few) risky sources,
 * and a per-target pull used by incremental updates; tests check that both agree.
 */
import { type CreditGraph, KIND_ENTERPRISE, KIND_PERSON, forEachIncident } from './graph.js'
import { type RiskState, isBadParty } from './risk-state.js'
import { type Visited, createVisited, nextGeneration } from './scratch.js'

export interface ProximityColumns {
  blacklist1: Float64Array
  blacklist2: Float64Array
  defaulted1: Float64Array
  riskScore: Float64Array
}

/**
 * Marks nodes at distance 1 and 2 from `start` over edges in `mask` (undirected); calls visit(node, dist).
 * Persons are ordinary intermediate nodes, so firm ← legal rep → firm is 2 hops.
 */
export function walkTwoHops(
  g: CreditGraph, start: number, mask: number, seen: Visited, visit: (v: number, dist: number) => void,
): void {
  const gen = nextGeneration(seen, g.nodeCount)
  const stamp = seen.stamp
  stamp[start] = gen
  const first: number[] = []
  forEachIncident(g, start, (x, e) => {
    if (((mask >> g.type[e]!) & 1) === 0 || stamp[x] === gen) return
    stamp[x] = gen
    first.push(x)
    visit(x, 1)
  })
  for (const x of first) {
    forEachIncident(g, x, (y, e) => {
      if (((mask >> g.type[e]!) & 1) === 0 || stamp[y] === gen) return
      stamp[y] = gen
      visit(y, 2)
    })
  }
}

export function computeProximity(g: CreditGraph, s: RiskState): ProximityColumns {
  const n = g.nodeCount
  const cols: ProximityColumns = {
    blacklist1: new Float64Array(n), blacklist2: new Float64Array(n),
    defaulted1: new Float64Array(n), riskScore: new Float64Array(n),
  }
  const seen = createVisited(n)
  for (let src = 0; src < n; src++) {
    if (isBadParty(g, s, src)) {
      walkTwoHops(g, src, s.blacklistMask, seen, (v, dist) => {
        if (g.kind[v] !== KIND_ENTERPRISE) return
        if (dist === 1) cols.blacklist1[v]!++
        cols.blacklist2[v]!++
      })
    }
    if (s.risky[src] === 1) pushRisk(g, s, src, seen, cols)
  }
  return cols
}

function pushRisk(g: CreditGraph, s: RiskState, r: number, seen: Visited, cols: ProximityColumns): void {
  const gen = nextGeneration(seen, g.nodeCount)
  const w = s.weights
  const d = s.decay[r]!
  forEachIncident(g, r, (x, e) => {
    const t = g.type[e]!
    if (g.kind[x] === KIND_ENTERPRISE) {
      if ((s.defaultedMask >> t) & 1 && seen.stamp[x] !== gen) { seen.stamp[x] = gen; cols.defaulted1[x]!++ }
      cols.riskScore[x]! += w[t]! * d
    } else if (g.kind[x] === KIND_PERSON && w[t]! > 0) {
      const w1 = w[t]! * d
      forEachIncident(g, x, (y, e2) => {
        if (y !== r && g.kind[y] === KIND_ENTERPRISE) cols.riskScore[y]! += w1 * w[g.type[e2]!]!
      })
    }
  })
}

export interface ProximityValues {
  blacklist1: number
  blacklist2: number
  defaulted1: number
  riskScore: number
}

/** The same four values for one enterprise, pulled from its neighbourhood. */
export function proximityAt(g: CreditGraph, s: RiskState, v: number, seen: Visited): ProximityValues {
  let blacklist1 = 0
  let blacklist2 = 0
  walkTwoHops(g, v, s.blacklistMask, seen, (x, dist) => {
    if (!isBadParty(g, s, x)) return
    if (dist === 1) blacklist1++
    blacklist2++
  })
  let defaulted1 = 0
  let riskScore = 0
  const w = s.weights
  const gen = nextGeneration(seen, g.nodeCount)
  forEachIncident(g, v, (x, e) => {
    const t = g.type[e]!
    if (g.kind[x] === KIND_ENTERPRISE) {
      if (s.risky[x] !== 1) return
      if ((s.defaultedMask >> t) & 1 && seen.stamp[x] !== gen) { seen.stamp[x] = gen; defaulted1++ }
      riskScore += w[t]! * s.decay[x]!
    } else if (g.kind[x] === KIND_PERSON && w[t]! > 0) {
      forEachIncident(g, x, (y, e2) => {
        if (y !== v && s.risky[y] === 1) riskScore += w[t]! * s.decay[y]! * w[g.type[e2]!]!
      })
    }
  })
  return { blacklist1, blacklist2, defaulted1, riskScore }
}
