/**
 * Guarantee structure on GUARANTEE edges (guarantor → guaranteed): strongly connected components of size ≥ 2
 * are guarantee circles (循环/互保), found by an iterative Tarjan (no recursion: chains can be long), and the
 * longest chain through each node on the condensation DAG.
 */
import { T_GUARANTEE } from './edge-types.js'
import { type CreditGraph, forEachIncident, forEachOut } from './graph.js'

export interface GuaranteeResult {
  /** Global node ids, in the order of the columns below. */
  nodes: Int32Array
  inCircle: Uint8Array
  /**
   * Firms on the longest guarantee chain through the node, minus one; a circle counts all its firms, so a
   * chain a → b → c gives 2 and a bare 3-circle gives 2. 0 without guarantee edges.
   */
  chain: Float64Array
}

/** Analyses the guarantee subgraph induced by `nodes` (all nodes when omitted; pass whole weak components). */
export function analyseGuarantees(g: CreditGraph, nodes?: ArrayLike<number>): GuaranteeResult {
  const all = nodes === undefined
  const list = all ? Int32Array.from({ length: g.nodeCount }, (_, i) => i) : Int32Array.from(nodes)
  const L = list.length
  const localMap = all ? null : new Map<number, number>()
  if (localMap) for (let i = 0; i < L; i++) localMap.set(list[i]!, i)
  const toLocal = (v: number): number => (localMap ? localMap.get(v) ?? -1 : v)

  // Local CSR of guarantee out-edges: Tarjan needs a resumable per-node edge cursor.
  const start = new Int32Array(L + 1)
  const targets: number[] = []
  for (let i = 0; i < L; i++) {
    forEachOut(g, list[i]!, (w, e) => {
      if (g.type[e] !== T_GUARANTEE) return
      const lw = toLocal(w)
      if (lw >= 0) targets.push(lw)
    })
    start[i + 1] = targets.length
  }
  const adj = Int32Array.from(targets)
  const { comp, compCount } = tarjan(L, start, adj)

  const size = new Int32Array(compCount)
  for (let i = 0; i < L; i++) size[comp[i]!]!++
  // Members grouped by component, so components can be processed in (reverse) topological order.
  const cStart = new Int32Array(compCount + 1)
  for (let c = 0; c < compCount; c++) cStart[c + 1] = cStart[c]! + size[c]!
  const cursor = cStart.slice(0, compCount)
  const members = new Int32Array(L)
  for (let i = 0; i < L; i++) members[cursor[comp[i]!]!++] = i

  // Tarjan emits components in reverse topological order: successors of c have smaller ids.
  const down = new Float64Array(compCount)
  for (let c = 0; c < compCount; c++) {
    let best = 0
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      const u = members[k]!
      for (let p = start[u]!; p < start[u + 1]!; p++) {
        const cw = comp[adj[p]!]!
        if (cw !== c && down[cw]! > best) best = down[cw]!
      }
    }
    down[c] = best + size[c]!
  }
  const up = new Float64Array(compCount)
  for (let c = 0; c < compCount; c++) up[c] = size[c]!
  for (let c = compCount - 1; c >= 0; c--) {
    for (let k = cStart[c]!; k < cStart[c + 1]!; k++) {
      const u = members[k]!
      for (let p = start[u]!; p < start[u + 1]!; p++) {
        const cw = comp[adj[p]!]!
        if (cw !== c && up[c]! + size[cw]! > up[cw]!) up[cw] = up[c]! + size[cw]!
      }
    }
  }
  const inCircle = new Uint8Array(L)
  const chain = new Float64Array(L)
  for (let i = 0; i < L; i++) {
    const c = comp[i]!
    inCircle[i] = size[c]! >= 2 ? 1 : 0
    chain[i] = up[c]! + down[c]! - size[c]! - 1
  }
  return { nodes: list, inCircle, chain }
}

/** Iterative Tarjan over a local CSR; components are numbered in reverse topological order. */
export function tarjan(L: number, start: Int32Array, adj: Int32Array): { comp: Int32Array; compCount: number } {
  const index = new Int32Array(L).fill(-1)
  const low = new Int32Array(L)
  const comp = new Int32Array(L).fill(-1)
  const onStack = new Uint8Array(L)
  const stack = new Int32Array(L)
  const callNode = new Int32Array(L)
  const callPos = new Int32Array(L)
  let sp = 0
  let counter = 0
  let compCount = 0
  for (let root = 0; root < L; root++) {
    if (index[root] !== -1) continue
    let top = 0
    callNode[0] = root
    callPos[0] = start[root]!
    index[root] = low[root] = counter++
    stack[sp++] = root
    onStack[root] = 1
    while (top >= 0) {
      const v = callNode[top]!
      const p = callPos[top]!
      if (p < start[v + 1]!) {
        callPos[top] = p + 1
        const w = adj[p]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack[sp++] = w
          onStack[w] = 1
          top++
          callNode[top] = w
          callPos[top] = start[w]!
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!
        }
        continue
      }
      if (low[v] === index[v]) {
        let w: number
        do {
          w = stack[--sp]!
          onStack[w] = 0
          comp[w] = compCount
        } while (w !== v)
        compCount++
      }
      top--
      if (top >= 0) {
        const parent = callNode[top]!
        if (low[v]! < low[parent]!) low[parent] = low[v]!
      }
    }
  }
  return { comp, compCount }
}

/** Nodes weakly connected to `seeds` over GUARANTEE edges (the seeds included). */
export function guaranteeComponent(g: CreditGraph, seeds: Iterable<number>): number[] {
  const seen = new Set<number>()
  const queue: number[] = []
  for (const s of seeds) if (!seen.has(s)) { seen.add(s); queue.push(s) }
  for (let h = 0; h < queue.length; h++) {
    forEachIncident(g, queue[h]!, (w, e) => {
      if (g.type[e] === T_GUARANTEE && !seen.has(w)) { seen.add(w); queue.push(w) }
    })
  }
  return queue
}

/** Guarantees given (sum of GUARANTEE out amounts) over registered capital, capped at the catalogue's 1e6. */
export function guaranteeExposureAt(g: CreditGraph, v: number): number {
  let given = 0
  forEachOut(g, v, (_, e) => { if (g.type[e] === T_GUARANTEE) given += g.amount[e]! })
  if (given <= 0) return 0
  const capital = g.registeredCapital[v]!
  return capital > 0 ? Math.min(given / capital, 1e6) : 1e6
}

