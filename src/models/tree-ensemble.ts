/**
 * Trees of an ai.onnx.ml TreeEnsembleRegressor / TreeEnsembleClassifier as flat typed arrays, for the tree walk
 * and TreeSHAP. Routing follows onnxruntime exactly: float32 values, "true" iff the comparison holds or the value
 * is NaN and nodes_missing_value_tracks_true is set (so a NaN goes false for <, <=, >, >=, == and true for !=).
 */
import type { OnnxModel, OnnxNode } from './onnx-reader.js'

export const MODE = { LEQ: 0, LT: 1, GTE: 2, GT: 3, EQ: 4, NEQ: 5, LEAF: 6 } as const
const MODE_BY_NAME: Record<string, number> = {
  BRANCH_LEQ: MODE.LEQ, BRANCH_LT: MODE.LT, BRANCH_GTE: MODE.GTE, BRANCH_GT: MODE.GT, BRANCH_EQ: MODE.EQ, BRANCH_NEQ: MODE.NEQ, LEAF: MODE.LEAF,
}

export class TreeEnsembleError extends Error {
  override readonly name = 'TreeEnsembleError'
}

export interface TreeEnsemble {
  kind: 'regressor' | 'classifier'
  /** The tensor the ensemble reads, and its output tensors. */
  input: string
  outputs: string[]
  postTransform: string
  /** The target / class whose score is explained (the binary classifier's weighted class). */
  targetId: number
  /** Added to the sum of leaf values: the ensemble's base_values entry for targetId (0 when absent). */
  base: number
  nTrees: number
  /** Number of input columns referenced (max feature id + 1). */
  nFeatures: number
  maxDepth: number
  /** Node arrays: children are indices into these arrays, roots[t] is tree t's root. */
  roots: Int32Array
  feature: Int32Array
  threshold: Float64Array
  mode: Uint8Array
  trueChild: Int32Array
  falseChild: Int32Array
  missingTrue: Uint8Array
  /** nodes_hitrates: the training cover, used by TreeSHAP; all zero when the artifact carries none. */
  cover: Float64Array
  /** Leaf value for targetId (summed over the leaf's votes, scaled by 1/nTrees for AVERAGE). */
  value: Float64Array
  /** Input rewrites the graph applies before the trees (our exporter's Equal/Where of -1). */
  rewrites: Array<{ from: number; to: number }>
}

const ints = (n: OnnxNode, k: string): number[] => n.attributes.get(k)?.ints ?? []
const floatsOrTensor = (n: OnnxNode, k: string): number[] => n.attributes.get(k)?.floats ?? n.attributes.get(`${k}_as_tensor`)?.t?.values ?? []

/** Finds the (single) tree ensemble node and converts it; throws TreeEnsembleError when there is none or it is unsupported. */
export function extractTreeEnsemble(model: OnnxModel): TreeEnsemble {
  const nodes = model.graph.nodes.filter((n) => n.domain === 'ai.onnx.ml' && (n.opType === 'TreeEnsembleRegressor' || n.opType === 'TreeEnsembleClassifier'))
  if (nodes.length !== 1) throw new TreeEnsembleError(`expected one TreeEnsembleRegressor or TreeEnsembleClassifier node, found ${nodes.length}`)
  const node = nodes[0]!
  const isClassifier = node.opType === 'TreeEnsembleClassifier'
  const prefix = isClassifier ? 'class' : 'target'
  const treeIds = ints(node, 'nodes_treeids')
  const nodeIds = ints(node, 'nodes_nodeids')
  const featureIds = ints(node, 'nodes_featureids')
  const modes = node.attributes.get('nodes_modes')?.strings ?? []
  const values = floatsOrTensor(node, 'nodes_values')
  const trueIds = ints(node, 'nodes_truenodeids')
  const falseIds = ints(node, 'nodes_falsenodeids')
  const missing = ints(node, 'nodes_missing_value_tracks_true')
  const hitrates = floatsOrTensor(node, 'nodes_hitrates')
  const n = treeIds.length
  for (const [k, arr] of [['nodes_nodeids', nodeIds], ['nodes_featureids', featureIds], ['nodes_modes', modes], ['nodes_truenodeids', trueIds], ['nodes_falsenodeids', falseIds]] as const) {
    if (arr.length !== n) throw new TreeEnsembleError(`${k} has ${arr.length} entries but nodes_treeids has ${n}`)
  }
  const aggregate = node.attributes.get('aggregate_function')?.s ?? 'SUM'
  if (aggregate !== 'SUM' && aggregate !== 'AVERAGE') throw new TreeEnsembleError(`aggregate_function ${aggregate} is not additive: no tree walk or TreeSHAP`)

  // Flat index of (tree id, node id); trees are renumbered 0..T-1 in order of first appearance.
  const treeIndex = new Map<number, number>()
  const key = (t: number, id: number) => `${t}:${id}`
  const flat = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    if (!treeIndex.has(treeIds[i]!)) treeIndex.set(treeIds[i]!, treeIndex.size)
    flat.set(key(treeIds[i]!, nodeIds[i]!), i)
  }
  const T = treeIndex.size
  const e: TreeEnsemble = {
    kind: isClassifier ? 'classifier' : 'regressor', input: node.inputs[0] ?? '', outputs: node.outputs,
    postTransform: node.attributes.get('post_transform')?.s ?? 'NONE', targetId: 0, base: 0, nTrees: T, nFeatures: 0, maxDepth: 0,
    roots: new Int32Array(T).fill(-1), feature: new Int32Array(n), threshold: new Float64Array(n), mode: new Uint8Array(n),
    trueChild: new Int32Array(n), falseChild: new Int32Array(n), missingTrue: new Uint8Array(n), cover: new Float64Array(n),
    value: new Float64Array(n), rewrites: findRewrites(model, node.inputs[0] ?? ''),
  }
  const child = (t: number, id: number, i: number, which: string): number => {
    const c = flat.get(key(t, id))
    if (c === undefined) throw new TreeEnsembleError(`node ${i} (tree ${t}, node ${nodeIds[i]}) has ${which} child ${id}, which does not exist`)
    return c
  }
  const hasChild = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const m = MODE_BY_NAME[modes[i]!]
    if (m === undefined) throw new TreeEnsembleError(`node ${i} has unsupported mode ${modes[i]}`)
    e.mode[i] = m
    e.feature[i] = featureIds[i]!
    e.threshold[i] = values[i] ?? 0
    e.missingTrue[i] = missing[i] ?? 0
    e.cover[i] = hitrates[i] ?? 0
    if (m !== MODE.LEAF) {
      e.trueChild[i] = child(treeIds[i]!, trueIds[i]!, i, 'true')
      e.falseChild[i] = child(treeIds[i]!, falseIds[i]!, i, 'false')
      hasChild[e.trueChild[i]!] = 1
      hasChild[e.falseChild[i]!] = 1
      e.nFeatures = Math.max(e.nFeatures, featureIds[i]! + 1)
    }
  }
  for (let i = 0; i < n; i++) {
    const t = treeIndex.get(treeIds[i]!)!
    if (!hasChild[i]) {
      if (e.roots[t] !== -1) throw new TreeEnsembleError(`tree ${treeIds[i]} has more than one root`)
      e.roots[t] = i
    }
  }
  for (let t = 0; t < T; t++) if (e.roots[t] === -1) throw new TreeEnsembleError(`tree ${t} has no root (a cycle)`)

  const wTree = ints(node, `${prefix}_treeids`)
  const wNode = ints(node, `${prefix}_nodeids`)
  const wIds = ints(node, `${prefix}_ids`)
  const weights = floatsOrTensor(node, `${prefix}_weights`)
  const targets = [...new Set(wIds)]
  if (targets.length > 1 && !(isClassifier && targets.length === 2)) throw new TreeEnsembleError(`${targets.length} targets: only single-target (binary) ensembles are explained`)
  // A binary classifier carries weights on one class (XGBoost/GBM style) or on both (forests): explain class 1.
  e.targetId = targets.length === 2 ? Math.max(...targets) : (targets[0] ?? 0)
  const scale = aggregate === 'AVERAGE' ? 1 / T : 1
  for (let k = 0; k < wTree.length; k++) {
    if (wIds[k] !== e.targetId) continue
    const i = flat.get(key(wTree[k]!, wNode[k]!))
    if (i === undefined || e.mode[i] !== MODE.LEAF) throw new TreeEnsembleError(`weight ${k} points at tree ${wTree[k]} node ${wNode[k]}, which is not a leaf`)
    e.value[i] = e.value[i]! + weights[k]! * scale
  }
  const base = floatsOrTensor(node, 'base_values')
  e.base = base.length > e.targetId ? base[e.targetId]! : (base[0] ?? 0)
  e.maxDepth = maxDepthOf(e)
  return e
}

function maxDepthOf(e: TreeEnsemble): number {
  let max = 0
  const stack: number[] = []
  for (let t = 0; t < e.nTrees; t++) {
    stack.push(e.roots[t]!, 0)
    while (stack.length > 0) {
      const d = stack.pop()!
      const i = stack.pop()!
      if (d > 64) throw new TreeEnsembleError('a tree is deeper than 64 levels (or has a cycle)')
      if (e.mode[i] === MODE.LEAF) { if (d > max) max = d; continue }
      stack.push(e.trueChild[i]!, d + 1, e.falseChild[i]!, d + 1)
    }
  }
  return max
}

/** Recognises `Where(Equal(x, c), d, x)` in front of the trees: our exporter's -1 → next-float-below rewrite. */
function findRewrites(model: OnnxModel, treeInput: string): Array<{ from: number; to: number }> {
  const g = model.graph
  const producer = g.nodes.find((n) => n.outputs.includes(treeInput))
  if (!producer || producer.opType !== 'Where') return []
  const [cond, a, x] = producer.inputs
  const eq = g.nodes.find((n) => n.outputs.includes(cond ?? ''))
  const scalar = (name: string | undefined) => (name ? g.initializers.get(name)?.values : undefined)
  if (!eq || eq.opType !== 'Equal' || eq.inputs[0] !== x) return []
  const from = scalar(eq.inputs[1])
  const to = scalar(a)
  if (from?.length !== 1 || to?.length !== 1) return []
  return [{ from: from[0]!, to: to[0]! }]
}

/** Float32 value the trees compare, after the graph's rewrites. */
export function treeValue(e: TreeEnsemble, v: number): number {
  const f = Math.fround(v)
  for (const r of e.rewrites) if (f === r.from) return r.to
  return f
}

/** Whether a value goes to the true branch of node i (v already in tree space). */
export function goesTrue(e: TreeEnsemble, i: number, v: number): boolean {
  const t = e.threshold[i]!
  let c: boolean
  switch (e.mode[i]) {
    case MODE.LEQ: c = v <= t; break
    case MODE.LT: c = v < t; break
    case MODE.GTE: c = v >= t; break
    case MODE.GT: c = v > t; break
    case MODE.EQ: c = v === t; break
    default: c = v !== t
  }
  return c || (e.missingTrue[i] === 1 && Number.isNaN(v))
}

/** Leaf reached by a (tree-space) row in tree t. */
export function leafOf(e: TreeEnsemble, t: number, x: ArrayLike<number>): number {
  let i = e.roots[t]!
  while (e.mode[i] !== MODE.LEAF) i = goesTrue(e, i, x[e.feature[i]!]!) ? e.trueChild[i]! : e.falseChild[i]!
  return i
}

/** Plain tree walk in float64: base + Σ leaf values (the ensemble's raw score before post_transform). */
export function predictMargin(e: TreeEnsemble, row: ArrayLike<number>): number {
  const x = toTreeSpace(e, row)
  let s = e.base
  for (let t = 0; t < e.nTrees; t++) s += e.value[leafOf(e, t, x)]!
  return s
}

export function toTreeSpace(e: TreeEnsemble, row: ArrayLike<number>, out = new Float64Array(row.length)): Float64Array {
  for (let j = 0; j < row.length; j++) out[j] = treeValue(e, row[j]!)
  return out
}
