/** Read-only views for the API: a capped neighbourhood subgraph and shortest reach paths to bank customers. */
import type { NodeType, RelationType } from '../enterprises/enterprises.types.js'
import { ALL_TYPES_MASK, edgeTypeName, typeMask } from './edge-types.js'
import { type CreditGraph, KIND_PERSON, forEachIncident } from './graph.js'

export interface ViewNode { id: string; type: NodeType; depth: number; blacklisted: boolean }
export interface ViewEdge { from: string; to: string; type: RelationType; ratio: number | null; amount: number | null }
export interface Neighbourhood { nodes: ViewNode[]; edges: ViewEdge[]; truncated: boolean }

const nodeType = (g: CreditGraph, v: number): NodeType => (g.kind[v] === KIND_PERSON ? 'person' : 'enterprise')

function clampDepth(d: number, max: number): number {
  if (!Number.isInteger(d) || d < 1 || d > max) throw new RangeError(`depth must be an integer in 1..${max}`)
  return d
}

/**
 * Nodes within `depth` hops (undirected, over `types`), breadth first, at most `maxNodes` of them, with every
 * edge between included nodes. `truncated` says that some reachable node was left out.
 */
export function neighbourhood(
  g: CreditGraph, uscc: string,
  options: { depth: number; types?: readonly RelationType[]; maxNodes?: number; maxEdges?: number },
): Neighbourhood | undefined {
  const start = g.enterpriseIndex.get(uscc)
  if (start === undefined) return undefined
  const depth = clampDepth(options.depth, 3)
  const maxNodes = options.maxNodes ?? 200
  const maxEdges = options.maxEdges ?? maxNodes * 4
  const mask = options.types ? typeMask(options.types) : ALL_TYPES_MASK
  const level = new Map<number, number>([[start, 0]])
  const order = [start]
  let truncated = false
  for (let h = 0; h < order.length; h++) {
    const u = order[h]!
    const d = level.get(u)!
    if (d === depth) continue
    forEachIncident(g, u, (x, e) => {
      if (((mask >> g.type[e]!) & 1) === 0 || level.has(x)) return
      if (order.length >= maxNodes) { truncated = true; return }
      level.set(x, d + 1)
      order.push(x)
    })
  }
  const edges: ViewEdge[] = []
  const seenEdges = new Set<number>()
  for (const u of order) {
    forEachIncident(g, u, (x, e) => {
      if (((mask >> g.type[e]!) & 1) === 0 || !level.has(x) || seenEdges.has(e)) return
      if (edges.length >= maxEdges) { truncated = true; return }
      seenEdges.add(e)
      const ratio = g.ratio[e]!
      edges.push({
        from: g.ids[g.src[e]!]!, to: g.ids[g.dst[e]!]!, type: edgeTypeName(g.type[e]!),
        ratio: Number.isNaN(ratio) ? null : ratio, amount: g.amount[e]! > 0 ? g.amount[e]! : null,
      })
    })
  }
  const nodes = order.map((v) => ({
    id: g.ids[v]!, type: nodeType(g, v), depth: level.get(v)!, blacklisted: g.blacklisted[v] === 1,
  }))
  return { nodes, edges, truncated }
}

export interface ReachPath {
  nodes: Array<{ type: NodeType; id: string }>
  edgeTypes: RelationType[]
}

/**
 * Up to `k` shortest paths (BFS, undirected) from the enterprise to nodes accepted by `isCustomer`, one per
 * customer, nearest customers first; paths stop at the first customer met. The start itself is not a target.
 */
export function shortestPathsToCustomers(
  g: CreditGraph, uscc: string,
  options: { maxHops: number; isCustomer: (node: number) => boolean; k?: number; types?: readonly RelationType[] },
): ReachPath[] | undefined {
  const start = g.enterpriseIndex.get(uscc)
  if (start === undefined) return undefined
  const maxHops = clampDepth(options.maxHops, 3)
  const k = options.k ?? 5
  const mask = options.types ? typeMask(options.types) : ALL_TYPES_MASK
  const parent = new Map<number, { from: number; edge: number }>()
  const depth = new Map<number, number>([[start, 0]])
  const queue = [start]
  const found: number[] = []
  for (let h = 0; h < queue.length && found.length < k; h++) {
    const u = queue[h]!
    const d = depth.get(u)!
    if (d === maxHops) break
    forEachIncident(g, u, (x, e) => {
      if (found.length >= k || ((mask >> g.type[e]!) & 1) === 0 || depth.has(x)) return
      depth.set(x, d + 1)
      parent.set(x, { from: u, edge: e })
      if (options.isCustomer(x)) found.push(x)
      else queue.push(x)
    })
  }
  return found.map((target) => {
    const nodes: ReachPath['nodes'] = []
    const edgeTypes: RelationType[] = []
    for (let v = target; ; ) {
      nodes.push({ type: nodeType(g, v), id: g.ids[v]! })
      const p = parent.get(v)
      if (!p) break
      edgeTypes.push(edgeTypeName(g.type[p.edge]!))
      v = p.from
    }
    return { nodes: nodes.reverse(), edgeTypes: edgeTypes.reverse() }
  })
}
