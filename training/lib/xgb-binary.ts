/**
 * Parser for XGBoost's legacy binary model (as written by ml-xgboost, dmlc/xgboost 0.7x), following
 * /work/shared/reference/xgboost-onnx.md §3.4. The parsed structure is what the ONNX exporter and the TreeSHAP
 * explainer consume, so it keeps covers (sum_hess) and default directions.
 */

export interface TreeNode {
  /** Index of the left child in `nodes`, -1 for a leaf. */
  left: number
  right: number
  featureIndex: number
  /** Split threshold as a float32 value: go left when x < threshold (compared in float32). */
  threshold: number
  /** Where a missing value goes. */
  defaultLeft: boolean
  isLeaf: boolean
  leafValue: number
  /** Sum of hessians of the training rows reaching the node (TreeSHAP's cover). */
  cover: number
  /** Loss reduction of the split (gain), 0 for leaves. */
  gain: number
}

export interface ParsedTree {
  /** Nodes renumbered in DFS pre-order from the root (index 0), deleted nodes skipped. */
  nodes: TreeNode[]
  /** Output group the tree contributes to (0 for binary models). */
  group: number
}

export interface ParsedXgboostModel {
  /** Margin added to the sum of leaf values (pre-1.0 files store base_score already in margin space). */
  baseMargin: number
  numFeature: number
  numClass: number
  objective: string
  booster: string
  trees: ParsedTree[]
  /** Byte ranges of each raw tree in the source, so the file can be truncated to its first k trees. */
  layout: { headerEnd: number; treeRanges: Array<[number, number]>; treeInfoStart: number; end: number }
}

const LEARNER_PARAM_BYTES = 136
const GBTREE_PARAM_BYTES = 160
const TREE_PARAM_BYTES = 148
const NODE_BYTES = 20
const STAT_BYTES = 16
const DELETED = 0xffffffff
const SUPPORTED_OBJECTIVES = new Set(['binary:logistic', 'reg:logistic', 'binary:logitraw'])

class Reader {
  private readonly dv: DataView
  constructor(readonly bytes: Uint8Array, public pos = 0) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) throw new Error(`xgboost model truncated while reading ${what} at byte ${this.pos}`)
  }
  i32(): number { this.need(4, 'i32'); const v = this.dv.getInt32(this.pos, true); this.pos += 4; return v }
  u32(at: number): number { return this.dv.getUint32(at, true) }
  i32At(at: number): number { return this.dv.getInt32(at, true) }
  f32(at: number): number { return this.dv.getFloat32(at, true) }
  u64(): number {
    this.need(8, 'u64')
    const v = this.dv.getBigUint64(this.pos, true)
    this.pos += 8
    if (v > BigInt(this.bytes.length)) throw new Error(`implausible length ${v} at byte ${this.pos - 8}`)
    return Number(v)
  }
  str(): string {
    const n = this.u64()
    this.need(n, 'string')
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n))
    this.pos += n
    return s
  }
  skip(n: number, what: string): void { this.need(n, what); this.pos += n }
}

/** Accepts ml-xgboost's `toJSON().model` (signed bytes) or raw bytes. */
export function toModelBytes(model: ArrayLike<number> | Uint8Array): Uint8Array {
  return model instanceof Uint8Array ? model : Uint8Array.from(model as ArrayLike<number>, (v) => v & 0xff)
}

export function parseXgboostModel(input: ArrayLike<number> | Uint8Array): ParsedXgboostModel {
  const bytes = toModelBytes(input)
  const r = new Reader(bytes)
  if (bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === 'binf') r.pos = 4
  if (bytes.length >= 4 && new TextDecoder().decode(bytes.subarray(0, 4)) === 'bs64') throw new Error('base64 xgboost models are not supported')
  const lp = r.pos
  r.skip(LEARNER_PARAM_BYTES, 'LearnerModelParam')
  const baseScore = r.f32(lp)
  const numFeature = r.u32(lp + 4)
  const numClass = r.i32At(lp + 8)
  const containExtraAttrs = r.i32At(lp + 12)
  const major = r.u32(lp + 20)
  if (major !== 0) throw new Error(`xgboost model version ${major}.x: only pre-1.0 legacy files are supported`)
  const objective = r.str()
  const booster = r.str()
  if (booster !== 'gbtree') throw new Error(`unsupported booster '${booster}' (only gbtree)`)
  if (!SUPPORTED_OBJECTIVES.has(objective)) throw new Error(`unsupported objective '${objective}'`)
  const gp = r.pos
  r.skip(GBTREE_PARAM_BYTES, 'GBTreeModelParam')
  const numTrees = r.i32At(gp)
  const numRoots = r.i32At(gp + 4)
  const sizeLeafVector = r.i32At(gp + 28)
  if (numRoots !== 1) throw new Error(`num_roots ${numRoots} is not supported`)
  if (sizeLeafVector !== 0) throw new Error('leaf vectors are not supported')
  const headerEnd = r.pos
  const trees: ParsedTree[] = []
  const treeRanges: Array<[number, number]> = []
  for (let t = 0; t < numTrees; t++) {
    const start = r.pos
    const tp = r.pos
    r.skip(TREE_PARAM_BYTES, `TreeParam of tree ${t}`)
    const nNodes = r.i32At(tp + 4)
    if (r.i32At(tp) !== 1) throw new Error(`tree ${t}: num_roots must be 1`)
    if (r.i32At(tp + 20) !== 0) throw new Error(`tree ${t}: leaf vectors are not supported`)
    const nodesAt = r.pos
    r.skip(nNodes * NODE_BYTES, `nodes of tree ${t}`)
    const statsAt = r.pos
    r.skip(nNodes * STAT_BYTES, `stats of tree ${t}`)
    trees.push({ nodes: readTree(r, nodesAt, statsAt, nNodes, t), group: 0 })
    treeRanges.push([start, r.pos])
  }
  const treeInfoStart = r.pos
  for (const tree of trees) tree.group = r.i32()
  if (containExtraAttrs !== 0) {
    const n = r.u64()
    for (let i = 0; i < n; i++) { r.str(); r.str() }
  }
  return {
    baseMargin: baseScore, numFeature, numClass, objective, booster, trees,
    layout: { headerEnd, treeRanges, treeInfoStart, end: bytes.length },
  }
}

function readTree(r: Reader, nodesAt: number, statsAt: number, n: number, t: number): TreeNode[] {
  const out: TreeNode[] = []
  // Pre-order DFS from the root; deleted nodes are unreachable so they never enter the walk.
  const walk = (raw: number): number => {
    if (raw < 0 || raw >= n) throw new Error(`tree ${t}: child index ${raw} out of range`)
    const at = nodesAt + raw * NODE_BYTES
    const sindex = r.u32(at + 12)
    if (sindex === DELETED) throw new Error(`tree ${t}: reachable node ${raw} is marked deleted`)
    const cleft = r.i32At(at + 4)
    const cright = r.i32At(at + 8)
    const info = r.f32(at + 16)
    const st = statsAt + raw * STAT_BYTES
    const isLeaf = cleft === -1
    const idx = out.length
    out.push({
      left: -1, right: -1, featureIndex: isLeaf ? 0 : sindex & 0x7fffffff, threshold: isLeaf ? 0 : info,
      defaultLeft: (sindex >>> 31) === 1, isLeaf, leafValue: isLeaf ? info : 0,
      cover: r.f32(st + 4), gain: isLeaf ? 0 : r.f32(st),
    })
    if (!isLeaf) {
      const node = out[idx]!
      node.left = walk(cleft)
      node.right = walk(cright)
    }
    return idx
  }
  walk(0)
  return out
}

/** The same binary with only the first `k` trees: how early stopping is applied without retraining. */
export function truncateXgboostModel(input: ArrayLike<number> | Uint8Array, k: number): Uint8Array {
  const bytes = toModelBytes(input)
  const m = parseXgboostModel(bytes)
  if (k < 1 || k > m.trees.length) throw new Error(`cannot keep ${k} of ${m.trees.length} trees`)
  const { headerEnd, treeRanges, treeInfoStart, end } = m.layout
  const lastTreeEnd = treeRanges[k - 1]![1]
  const header = bytes.slice(0, headerEnd)
  // num_trees sits at the start of GBTreeModelParam, 160 bytes before the first tree
  new DataView(header.buffer).setInt32(headerEnd - GBTREE_PARAM_BYTES, k, true)
  const parts = [header, bytes.subarray(headerEnd, lastTreeEnd), bytes.subarray(treeInfoStart, treeInfoStart + 4 * k),
    bytes.subarray(treeInfoStart + 4 * m.trees.length, end)]
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}
