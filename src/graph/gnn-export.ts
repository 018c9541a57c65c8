/**
 * Export for a GNN training helper: typed edge lists (node ids are graph node ids, persons included) and a
 * dense node feature matrix (row-major Float32, enterprises carry their graph features, persons a flag).
 */
import type { RelationType } from '../enterprises/enterprises.types.js'
import { EDGE_TYPES } from './edge-types.js'
import { type CreditGraph, KIND_PERSON } from './graph.js'
import { GRAPH_FEATURE_NAMES, type GraphFeatures } from './graph-features.js'

export interface GnnExport {
  nodeIds: string[]
  nodeTypes: Uint8Array
  featureNames: string[]
  /** nodeCount × featureNames.length, row-major. */
  features: Float32Array
  edges: Record<RelationType, { src: Int32Array; dst: Int32Array }>
}

export function exportGnn(g: CreditGraph, f: GraphFeatures): GnnExport {
  const n = g.nodeCount
  const featureNames = ['isPerson', 'blacklisted', 'registeredCapitalLog', ...GRAPH_FEATURE_NAMES]
  const width = featureNames.length
  const features = new Float32Array(n * width)
  const ordinalOf = new Map(f.usccs.map((u, i) => [u, i]))
  for (let v = 0; v < n; v++) {
    const row = v * width
    const isPerson = g.kind[v] === KIND_PERSON
    features[row] = isPerson ? 1 : 0
    features[row + 1] = g.blacklisted[v]!
    if (isPerson) continue
    features[row + 2] = Math.log1p(Math.max(0, g.registeredCapital[v]!))
    const ord = ordinalOf.get(g.ids[v]!)
    if (ord === undefined) continue
    GRAPH_FEATURE_NAMES.forEach((name, j) => { features[row + 3 + j] = f.columns[name][ord]! })
  }
  const counts = new Int32Array(EDGE_TYPES.length)
  for (let e = 0; e < g.edgeCount; e++) counts[g.type[e]!]!++
  const lists = EDGE_TYPES.map((_, t) => ({ src: new Int32Array(counts[t]!), dst: new Int32Array(counts[t]!) }))
  const fill = new Int32Array(EDGE_TYPES.length)
  for (let e = 0; e < g.edgeCount; e++) {
    const t = g.type[e]!
    const l = lists[t]!
    l.src[fill[t]!] = g.src[e]!
    l.dst[fill[t]!] = g.dst[e]!
    fill[t]!++
  }
  const edges = Object.fromEntries(EDGE_TYPES.map((t, i) => [t, lists[i]!])) as GnnExport['edges']
  return { nodeIds: g.ids.slice(0, n), nodeTypes: g.kind.slice(0, n), featureNames, features, edges }
}
