/**
 * Per-enterprise graph features of the catalogue: a full pass over the whole graph, and the same values for a
 * chosen set of enterprises (incremental freshness). Both read the same definitions; tests check they agree.
 */
import { T_CUSTOMER, T_GUARANTEE, T_SHAREHOLDER, T_SUPPLIER } from './edge-types.js'
import { type CreditGraph, forEachIncident } from './graph.js'
import { compactGraph } from './graph-builder.js'
import { analyseGuarantees, guaranteeComponent, guaranteeExposureAt } from './guarantee-circles.js'
import { pageRank, scaleToEnterpriseMean, seedTeleport } from './pagerank.js'
import { type RiskInput, type RiskState, isBadParty, prepareRisk } from './risk-state.js'
import { computeProximity, proximityAt } from './risk-proximity.js'
import { type CommunityRules, type CommunityValues, computeCommunities } from './shared-attributes.js'
import { pooledVisited } from './scratch.js'

export const GRAPH_FEATURE_NAMES = [
  'blacklistWithin1Hop', 'blacklistWithin2Hops', 'defaultedNeighbours1Hop', 'neighbourRiskScore',
  'inGuaranteeCircle', 'guaranteeChainLength', 'guaranteeExposureRatio', 'communitySize', 'communityRiskShare',
  'gangFlag', 'sharedPhoneFirms', 'sharedAddressFirms', 'sharedLegalRepFirms', 'pageRank', 'defaultProximity',
  'degreeShareholder', 'degreeGuarantee', 'degreeSupply',
] as const
export type GraphFeatureName = (typeof GRAPH_FEATURE_NAMES)[number]
export const BOOLEAN_GRAPH_FEATURES: ReadonlySet<GraphFeatureName> = new Set(['inGuaranteeCircle', 'gangFlag'])

/** Booleans are stored as 0/1 in columns and rows, matching the models' numeric input. */
export type GraphFeatureRow = Record<GraphFeatureName, number>

export interface GraphFeatures {
  /** USCC per enterprise ordinal (insertion order); every column is aligned to it. */
  usccs: string[]
  columns: Record<GraphFeatureName, Float64Array>
  /** Risk flags used, for incremental updates against this snapshot. */
  risk: RiskState
  stats: { nodes: number; edges: number; enterprises: number; pageRankIterations: number; millis: Record<string, number> }
}

function communityRules(g: CreditGraph, s: RiskState): CommunityRules {
  return {
    hubCap: s.params.hubCap, gangMinFirms: s.params.gangMinFirms, gangMinKinds: s.params.gangMinKinds,
    isFlagged: (v) => s.risky[v] === 1 || isBadParty(g, s, v),
  }
}

export function degreesAt(g: CreditGraph, v: number): { shareholder: number; guarantee: number; supply: number } {
  let shareholder = 0
  let guarantee = 0
  let supply = 0
  forEachIncident(g, v, (_, e) => {
    const t = g.type[e]!
    if (t === T_SHAREHOLDER) shareholder++
    else if (t === T_GUARANTEE) guarantee++
    else if (t === T_SUPPLIER || t === T_CUSTOMER) supply++
  })
  return { shareholder, guarantee, supply }
}

/** Runs every analysis over the whole graph; compacts the graph first (merging overflow edges, new edge ids). */
export function computeGraphFeatures(g: CreditGraph, input: RiskInput | RiskState): GraphFeatures {
  const millis: Record<string, number> = {}
  let t0 = performance.now()
  const lap = (name: string): void => { const t = performance.now(); millis[name] = Math.round(t - t0); t0 = t }
  if (g.extraOut.size > 0 || g.csrNodeCount !== g.nodeCount || g.phones.extra.size > 0 || g.addresses.extra.size > 0) {
    compactGraph(g)
  }
  lap('compact')
  const s = 'now' in input ? prepareRisk(g, input) : input
  const m = g.enterpriseCount
  const columns = Object.fromEntries(GRAPH_FEATURE_NAMES.map((k) => [k, new Float64Array(m)])) as
    Record<GraphFeatureName, Float64Array>
  const prox = computeProximity(g, s)
  lap('proximity')
  const guar = analyseGuarantees(g)
  lap('guarantees')
  const comms = computeCommunities(g, g.enterpriseNodes.subarray(0, m), communityRules(g, s))
  lap('communities')
  const opts = { damping: s.params.damping, maxIterations: s.params.maxIterations, tolerance: s.params.tolerance }
  const pr = pageRank(g, opts)
  const prScaled = scaleToEnterpriseMean(g, pr.rank)
  const tele = seedTeleport(g, (v) => s.risky[v] === 1)
  const ppr = tele ? scaleToEnterpriseMean(g, pageRank(g, opts, tele).rank) : null
  lap('pageRank')
  const usccs = new Array<string>(m)
  for (let i = 0; i < m; i++) {
    const v = g.enterpriseNodes[i]!
    usccs[i] = g.ids[v]!
    columns.blacklistWithin1Hop[i] = prox.blacklist1[v]!
    columns.blacklistWithin2Hops[i] = prox.blacklist2[v]!
    columns.defaultedNeighbours1Hop[i] = prox.defaulted1[v]!
    columns.neighbourRiskScore[i] = prox.riskScore[v]!
    columns.inGuaranteeCircle[i] = guar.inCircle[v]!
    columns.guaranteeChainLength[i] = guar.chain[v]!
    columns.guaranteeExposureRatio[i] = guaranteeExposureAt(g, v)
    const c = comms.get(v)!
    columns.communitySize[i] = c.communitySize
    columns.communityRiskShare[i] = c.riskShare
    columns.gangFlag[i] = c.gang ? 1 : 0
    columns.sharedPhoneFirms[i] = c.sharedPhone
    columns.sharedAddressFirms[i] = c.sharedAddress
    columns.sharedLegalRepFirms[i] = c.sharedRep
    columns.pageRank[i] = prScaled[v]!
    columns.defaultProximity[i] = ppr ? ppr[v]! : 0
    const d = degreesAt(g, v)
    columns.degreeShareholder[i] = d.shareholder
    columns.degreeGuarantee[i] = d.guarantee
    columns.degreeSupply[i] = d.supply
  }
  lap('assemble')
  return {
    usccs, columns, risk: s,
    stats: { nodes: g.nodeCount, edges: g.edgeCount, enterprises: m, pageRankIterations: pr.iterations, millis },
  }
}

type CommunityField = 'communitySize' | 'communityRiskShare' | 'gangFlag' | 'sharedPhoneFirms' |
  'sharedAddressFirms' | 'sharedLegalRepFirms'

/** Community values, or the snapshot's for a community too large to recompute incrementally. */
function communityFields(c: CommunityValues, snapshot: GraphFeatures | undefined, ord: number): Record<CommunityField, number> {
  if (c.stale) {
    const old = (k: CommunityField): number => snapshot?.columns[k][ord] ?? 0
    return {
      communitySize: old('communitySize'), communityRiskShare: old('communityRiskShare'), gangFlag: old('gangFlag'),
      sharedPhoneFirms: old('sharedPhoneFirms'), sharedAddressFirms: old('sharedAddressFirms'),
      sharedLegalRepFirms: old('sharedLegalRepFirms'),
    }
  }
  return {
    communitySize: c.communitySize, communityRiskShare: c.riskShare, gangFlag: c.gang ? 1 : 0,
    sharedPhoneFirms: c.sharedPhone, sharedAddressFirms: c.sharedAddress, sharedLegalRepFirms: c.sharedRep,
  }
}

export function featureRow(f: GraphFeatures, ordinal: number): GraphFeatureRow {
  const row = {} as GraphFeatureRow
  for (const k of GRAPH_FEATURE_NAMES) row[k] = f.columns[k][ordinal] ?? 0
  return row
}

/**
 * Recomputes the features of the given enterprises on the current graph (overflow included). PageRank and
 * defaultProximity are global: they are copied from `snapshot` (the last full run; 0 for firms added since)
 * until the next full recompute.
 */
export function computeNeighbourhoodFeatures(
  g: CreditGraph, usccs: Iterable<string>, risk: RiskState, snapshot?: GraphFeatures,
): Map<string, GraphFeatureRow> {
  const targets: number[] = []
  for (const u of usccs) {
    const v = g.enterpriseIndex.get(u)
    if (v !== undefined) targets.push(v)
  }
  const out = new Map<string, GraphFeatureRow>()
  if (targets.length === 0) return out
  const seen = pooledVisited(0)
  const comp = guaranteeComponent(g, targets)
  const guar = analyseGuarantees(g, comp)
  const guarAt = new Map<number, number>()
  for (let i = 0; i < guar.nodes.length; i++) guarAt.set(guar.nodes[i]!, i)
  const comms = computeCommunities(g, targets, communityRules(g, risk), risk.params.maxCommunityUpdate)
  for (const v of targets) {
    const p = proximityAt(g, risk, v, seen)
    const gi = guarAt.get(v)!
    const c = comms.get(v)!
    const d = degreesAt(g, v)
    const ord = g.ordinal[v]!
    out.set(g.ids[v]!, {
      blacklistWithin1Hop: p.blacklist1, blacklistWithin2Hops: p.blacklist2, defaultedNeighbours1Hop: p.defaulted1,
      neighbourRiskScore: p.riskScore, inGuaranteeCircle: guar.inCircle[gi]!, guaranteeChainLength: guar.chain[gi]!,
      guaranteeExposureRatio: guaranteeExposureAt(g, v), ...communityFields(c, snapshot, ord),
      pageRank: snapshot?.columns.pageRank[ord] ?? 0, defaultProximity: snapshot?.columns.defaultProximity[ord] ?? 0,
      degreeShareholder: d.shareholder, degreeGuarantee: d.guarantee, degreeSupply: d.supply,
    })
  }
  return out
}
