/**
 * Default contagion for the ground truth: how much a set of defaulted firms raises each firm's log-odds
 * through guarantees, guarantee circles, control and supply, and the guarantee circles themselves.
 */
import type { PortfolioPlan } from './portfolio-plan.js'
import type { RelationGraph } from './relation-graph.js'

/** Log-odds increments. Guarantors carry the heaviest load: they pay when the borrower does not. */
export const CONTAGION = {
  guarantorOfDefaulter: 1.1,
  guarantorLoadPerCapital: 0.4, // per unit of guaranteed amount over the guarantor's capital, up to 3
  borrowerOfDefaultedGuarantor: 0.35,
  circleMemberDefaulted: 1.0,
  childOfDefaultedParent: 1.1,
  parentOfDefaultedChild: 0.6,
  sameControllerDefaulted: 0.6,
  supplierOfDefaultedBuyer: 0.45,
  buyerOfDefaultedSupplier: 0.2,
  cap: 3,
} as const

export interface ContagionContext {
  plan: PortfolioPlan
  graph: RelationGraph
  circleOf: Int32Array
}

/** Strongly connected components of size ≥ 2 in the guarantee graph (iterative Tarjan); -1 elsewhere. */
export function guaranteeCircles(n: number, graph: RelationGraph): Int32Array {
  const { guarantor, borrower } = graph
  const start = new Int32Array(n + 1)
  for (let e = 0; e < guarantor.length; e++) start[guarantor[e]! + 1]!++
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!
  const fill = start.slice(0, n)
  const adj = new Int32Array(guarantor.length)
  for (let e = 0; e < guarantor.length; e++) adj[fill[guarantor[e]!]!++] = borrower[e]!

  const circleOf = new Int32Array(n).fill(-1)
  const index = new Int32Array(n).fill(-1)
  const low = new Int32Array(n)
  const onStack = new Uint8Array(n)
  const stack = new Int32Array(n)
  const callNode = new Int32Array(n)
  const callEdge = new Int32Array(n)
  let counter = 0
  let sp = 0
  let circles = 0
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1 || start[root] === start[root + 1]) continue
    let cs = 0
    index[root] = low[root] = counter++
    stack[sp++] = root
    onStack[root] = 1
    callNode[cs] = root
    callEdge[cs++] = start[root]!
    while (cs > 0) {
      const v = callNode[cs - 1]!
      const p = callEdge[cs - 1]!
      if (p < start[v + 1]!) {
        callEdge[cs - 1] = p + 1
        const w = adj[p]!
        if (index[w] === -1) {
          index[w] = low[w] = counter++
          stack[sp++] = w
          onStack[w] = 1
          callNode[cs] = w
          callEdge[cs++] = start[w]!
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!)
        }
        continue
      }
      cs--
      if (cs > 0) {
        const u = callNode[cs - 1]!
        low[u] = Math.min(low[u]!, low[v]!)
      }
      if (low[v] !== index[v]) continue
      let k = sp - 1
      while (stack[k] !== v) k--
      const size = sp - k
      for (let j = k; j < sp; j++) {
        onStack[stack[j]!] = 0
        if (size >= 2) circleOf[stack[j]!] = circles
      }
      if (size >= 2) circles++
      sp = k
    }
  }
  return circleOf
}

/** Log-odds added to each firm by the defaulted firms in `state` (1 = defaulted). */
export function contagion(ctx: ContagionContext, state: Uint8Array): Float32Array {
  const { plan, graph, circleOf } = ctx
  const { n } = plan
  const c = new Float32Array(n)
  const w = CONTAGION
  for (let e = 0; e < graph.guarantor.length; e++) {
    const g = graph.guarantor[e]!
    const b = graph.borrower[e]!
    if (state[b]) c[g]! += w.guarantorOfDefaulter + w.guarantorLoadPerCapital * Math.min(graph.guaranteeLoad[e]!, 3)
    if (state[g]) c[b]! += w.borrowerOfDefaultedGuarantor
  }
  let circles = 0
  for (let i = 0; i < n; i++) if (circleOf[i]! >= circles) circles = circleOf[i]! + 1
  const circleDefaults = new Int32Array(circles)
  for (let i = 0; i < n; i++) if (state[i] && circleOf[i]! >= 0) circleDefaults[circleOf[i]!]!++
  for (let i = 0; i < n; i++) {
    const k = circleOf[i]!
    if (k >= 0 && circleDefaults[k]! - state[i]! > 0) c[i]! += w.circleMemberDefaulted
  }
  for (let e = 0; e < graph.ctrlParent.length; e++) {
    const p = graph.ctrlParent[e]!
    const ch = graph.ctrlChild[e]!
    if (state[ch]) c[p]! += w.parentOfDefaultedChild
    if (state[p]) c[ch]! += w.childOfDefaultedParent
  }
  const personDefaults = new Int32Array(plan.personCount)
  for (let e = 0; e < graph.ctrlPerson.length; e++) if (state[graph.ctrlFirm[e]!]) personDefaults[graph.ctrlPerson[e]!]!++
  for (let e = 0; e < graph.ctrlPerson.length; e++) {
    const f = graph.ctrlFirm[e]!
    if (personDefaults[graph.ctrlPerson[e]!]! - state[f]! > 0) c[f]! += w.sameControllerDefaulted
  }
  for (let e = 0; e < graph.supplier.length; e++) {
    const s = graph.supplier[e]!
    const b = graph.buyer[e]!
    if (state[b]) c[s]! += w.supplierOfDefaultedBuyer
    if (state[s]) c[b]! += w.buyerOfDefaultedSupplier
  }
  for (let i = 0; i < n; i++) if (c[i]! > w.cap) c[i] = w.cap
  return c
}
