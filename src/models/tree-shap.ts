/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion, Lee 2018, arXiv 1802.03888, Algorithm 2) over the flat
 * trees of a TreeEnsemble, with covers from nodes_hitrates. All path state lives in preallocated typed arrays
 * (one segment per recursion depth), so explaining a row allocates only its result.
 *
 * Contributions are in margin space: bias + Σ φⱼ = margin, where bias = base + Σ_trees E[tree], E being the
 * cover-weighted mean leaf value computed with the same child/parent cover fractions the recursion uses
 * (that consistency is what makes the sum exact even when float32 covers do not add up exactly).
 */
import { MODE, goesTrue, predictMargin, toTreeSpace, TreeEnsembleError, type TreeEnsemble } from './tree-ensemble.js'

export { predictMargin }

export interface ShapValues { bias: number; phi: Float64Array }

export interface TreeShapExplainer {
  /** base + Σ expected tree values: the margin before any feature is known. */
  readonly expectedValue: number
  readonly nFeatures: number
  /** φ for one row (graph-space values, NaN = missing); `phi` is overwritten when given. */
  explain(row: ArrayLike<number>, phi?: Float64Array): ShapValues
}

/** Trees with more splits than this are explained by recursion every time (the memo key is an integer of one
 * bit per split, exact in a double up to 53 bits: every tree of depth ≤ 5). */
const MAX_MEMO_SPLITS = 52
/** Distinct split patterns remembered per tree: 8 bytes × the tree's features each, plus a map entry (≈ 30 MB at
 * most for the shipped 187-tree model; portfolios use far fewer patterns: p90 ≈ 750 per tree over 8,000 firms). */
const MAX_MEMO_ENTRIES = 2048
/** Trees with at most this many splits find a key's slot in a dense Int16 table of 2^splits entries (≤ 128 KB),
 * up to MAX_DENSE_BYTES per explainer (the shipped model’s 187 trees of ≤ 15 splits use 3.3 MB). */
const MAX_DENSE_SPLITS = 16
const MAX_DENSE_BYTES = 32 * 1024 * 1024

export function createTreeShap(e: TreeEnsemble, nFeatures = e.nFeatures): TreeShapExplainer {
  if (nFeatures < e.nFeatures) throw new TreeEnsembleError(`the trees read ${e.nFeatures} features but only ${nFeatures} were given`)
  for (let t = 0; t < e.nTrees; t++) {
    if (!(e.cover[e.roots[t]!]! > 0)) throw new TreeEnsembleError(`tree ${t} has no cover on its root: the artifact lacks nodes_hitrates, so TreeSHAP is impossible`)
  }
  // Depth d of the recursion holds a path of up to d+2 elements (the root's dummy element included).
  const D = e.maxDepth + 2
  const size = ((D + 1) * (D + 2)) / 2
  const pFeat = new Int32Array(size)
  const pZero = new Float64Array(size)
  const pOne = new Float64Array(size)
  const pW = new Float64Array(size)
  const x = new Float64Array(nFeatures)
  let phiOut: Float64Array = new Float64Array(nFeatures)

  const meanValue = (i: number): number => {
    if (e.mode[i] === MODE.LEAF) return e.value[i]!
    const c = e.cover[i]!
    if (!(c > 0)) return 0 // an unreachable subtree: no training row got here
    return (e.cover[e.trueChild[i]!]! / c) * meanValue(e.trueChild[i]!) + (e.cover[e.falseChild[i]!]! / c) * meanValue(e.falseChild[i]!)
  }
  let expectedValue = e.base
  for (let t = 0; t < e.nTrees; t++) expectedValue += meanValue(e.roots[t]!)

  // 1/k for k = 1…D+1: the recursion's divisions by small integers become multiplications. A path element's
  // "one" fraction is always 0 or 1 here (the row either follows a split or not), so its divisions go too.
  const inv = new Float64Array(D + 2)
  for (let k = 1; k < inv.length; k++) inv[k] = 1 / k

  // Path of `depth`+1 elements starting at `p`.
  function extend(p: number, depth: number, zero: number, one: number, feature: number): void {
    pFeat[p + depth] = feature
    pZero[p + depth] = zero
    pOne[p + depth] = one
    pW[p + depth] = depth === 0 ? 1 : 0
    const invD1 = inv[depth + 1]!
    for (let i = depth - 1; i >= 0; i--) {
      const w = pW[p + i]!
      pW[p + i + 1] = pW[p + i + 1]! + one * w * (i + 1) * invD1
      pW[p + i] = zero * w * (depth - i) * invD1
    }
  }

  function unwind(p: number, depth: number, k: number): void {
    const one = pOne[p + k]!
    const zero = pZero[p + k]!
    const d1 = depth + 1
    if (one !== 0) {
      let next = pW[p + depth]!
      const zeroOverD1 = zero * inv[d1]!
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = pW[p + i]!
        const w = next * d1 * inv[i + 1]!
        pW[p + i] = w
        next = tmp - w * zeroOverD1 * (depth - i)
      }
    } else {
      const d1OverZero = d1 / zero
      for (let i = depth - 1; i >= 0; i--) pW[p + i] = pW[p + i]! * d1OverZero * inv[depth - i]!
    }
    for (let i = k; i < depth; i++) {
      pFeat[p + i] = pFeat[p + i + 1]!
      pZero[p + i] = pZero[p + i + 1]!
      pOne[p + i] = pOne[p + i + 1]!
    }
  }

  function unwoundSum(p: number, depth: number, k: number): number {
    const one = pOne[p + k]!
    const zero = pZero[p + k]!
    const d1 = depth + 1
    let total = 0
    if (one !== 0) {
      let next = pW[p + depth]!
      const zeroOverD1 = zero * inv[d1]!
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = next * d1 * inv[i + 1]!
        total += tmp
        next = pW[p + i]! - tmp * zeroOverD1 * (depth - i)
      }
    } else {
      let sum = 0
      for (let i = depth - 1; i >= 0; i--) sum += pW[p + i]! * inv[depth - i]!
      total = sum * (d1 / zero)
    }
    return total
  }

  /** `parent` is the parent's path start; this call's path starts right after it (parent + depth). */
  function recurse(node: number, depth: number, parent: number, zero: number, one: number, feature: number): void {
    const p = parent + depth
    for (let i = 0; i < depth; i++) {
      pFeat[p + i] = pFeat[parent + i]!
      pZero[p + i] = pZero[parent + i]!
      pOne[p + i] = pOne[parent + i]!
      pW[p + i] = pW[parent + i]!
    }
    extend(p, depth, zero, one, feature)
    if (e.mode[node] === MODE.LEAF) {
      const v = e.value[node]!
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(p, depth, i)
        const f = pFeat[p + i]!
        phiOut[f] = phiOut[f]! + w * (pOne[p + i]! - pZero[p + i]!) * v
      }
      return
    }
    const f = e.feature[node]!
    const isTrue = goesTrue(e, node, x[f]!)
    const hot = isTrue ? e.trueChild[node]! : e.falseChild[node]!
    const cold = isTrue ? e.falseChild[node]! : e.trueChild[node]!
    const c = e.cover[node]!
    const hotZero = c > 0 ? e.cover[hot]! / c : 0
    const coldZero = c > 0 ? e.cover[cold]! / c : 0
    let inZero = 1
    let inOne = 1
    let d = depth
    // A feature seen higher up the path is undone and redone here, so each feature appears once.
    for (let k = 1; k <= d; k++) {
      if (pFeat[p + k] === f) {
        inZero = pZero[p + k]!
        inOne = pOne[p + k]!
        unwind(p, d, k)
        d--
        break
      }
    }
    // A branch no permutation can reach (zero cover and not on the row's path) contributes exactly nothing,
    // and would divide 0 by 0 when unwinding.
    if (hotZero * inZero > 0 || inOne > 0) recurse(hot, d + 1, p, hotZero * inZero, inOne, f)
    if (coldZero * inZero > 0) recurse(cold, d + 1, p, coldZero * inZero, 0, f)
  }

  // Per-tree memo. A tree's contributions depend on the row only through which way it goes at each split
  // (the recursion reads x only in goesTrue), so for trees with at most 52 splits the outcomes form an integer
  // key and the tree's contributions are computed once per key. Rows of a portfolio share most keys, so most
  // trees cost a few comparisons instead of a full recursion. Every tree's contributions are added to φ from a
  // per-tree vector, cached or not, so the result does not depend on the cache's state.
  //
  // The key is computed from flat per-split arrays (feature, threshold, NaN direction) laid out tree after tree,
  // without branching on the outcome when a tree uses one comparison (< or <=, what exporters write): measured
  // on the shipped model, the data-dependent branches of the node-by-node walk cost more than the comparisons.
  // Keys of trees with at most 16 splits index a dense slot table, which is an order of magnitude cheaper than
  // a Map look-up; the rest use a Map.
  /** Per tree: whether its contributions are remembered by key (at most MAX_MEMO_SPLITS splits). */
  const memoised = new Uint8Array(e.nTrees)
  const treeFeatures: Int32Array[] = []
  const splitStart = new Int32Array(e.nTrees + 1)
  const flatNodes: number[] = []
  /** Per tree: 1 when every split is "<", 2 when every split is "<=", 0 otherwise (node-by-node goesTrue). */
  const keyKind = new Uint8Array(e.nTrees)
  for (let t = 0; t < e.nTrees; t++) {
    const nodes: number[] = []
    const feats = new Set<number>()
    const stack = [e.roots[t]!]
    while (stack.length > 0) {
      const i = stack.pop()!
      if (e.mode[i] === MODE.LEAF) continue
      nodes.push(i)
      feats.add(e.feature[i]!)
      stack.push(e.falseChild[i]!, e.trueChild[i]!)
    }
    treeFeatures.push(Int32Array.from([...feats].sort((a, b) => a - b)))
    if (nodes.length <= MAX_MEMO_SPLITS) {
      memoised[t] = 1
      for (const i of nodes) flatNodes.push(i)
      keyKind[t] = nodes.every((i) => e.mode[i] === MODE.LT) ? 1 : nodes.every((i) => e.mode[i] === MODE.LEQ) ? 2 : 0
    }
    splitStart[t + 1] = flatNodes.length
  }
  const splitNode = Int32Array.from(flatNodes)
  const splitFeature = Int32Array.from(flatNodes, (i) => e.feature[i]!)
  const splitThreshold = Float64Array.from(flatNodes, (i) => e.threshold[i]!)
  const splitMissingTrue = Uint8Array.from(flatNodes, (i) => e.missingTrue[i]!)

  /** The split-outcome key of memoised tree t for the current row: bit j (from the top) is split j's outcome. */
  function keyOf(t: number): number {
    let key = 0
    const end = splitStart[t + 1]!
    switch (keyKind[t]) {
      case 1:
        for (let j = splitStart[t]!; j < end; j++) {
          const v = x[splitFeature[j]!]!
          // Bitwise on booleans: no branch on the (unpredictable) outcome. NaN fails the comparison and goes
          // true only where the node says missing values track true, as in goesTrue.
          key = key * 2 + (((v < splitThreshold[j]!) as unknown as number) | (splitMissingTrue[j]! & ((v !== v) as unknown as number)))
        }
        return key
      case 2:
        for (let j = splitStart[t]!; j < end; j++) {
          const v = x[splitFeature[j]!]!
          key = key * 2 + (((v <= splitThreshold[j]!) as unknown as number) | (splitMissingTrue[j]! & ((v !== v) as unknown as number)))
        }
        return key
      default:
        for (let j = splitStart[t]!; j < end; j++) key = key * 2 + (goesTrue(e, splitNode[j]!, x[splitFeature[j]!]!) ? 1 : 0)
        return key
    }
  }

  // Remembered contributions live in one arena per tree (slot × the tree's features), allocated on first use;
  // a key finds its slot in the tree's dense table (-1 = not remembered) or, for larger trees, its Map.
  let denseBudget = MAX_DENSE_BYTES
  const dense: (Int16Array | null | undefined)[] = new Array(e.nTrees)
  const slotCount = new Int32Array(e.nTrees)
  const memo: (Map<number, number> | undefined)[] = new Array(e.nTrees)
  const arenas: (Float64Array | undefined)[] = new Array(e.nTrees)
  const scratch = new Float64Array(nFeatures)
  const fresh = new Float64Array(nFeatures)

  function denseTable(t: number): Int16Array | null {
    let d = dense[t]
    if (d !== undefined) return d
    const n = splitStart[t + 1]! - splitStart[t]!
    d = null
    if (n <= MAX_DENSE_SPLITS && 2 ** (n + 1) <= denseBudget) {
      d = new Int16Array(2 ** n).fill(-1)
      denseBudget -= d.byteLength
    }
    dense[t] = d
    return d
  }

  /** Tree t's contributions, one per feature in treeFeatures[t]: the arena and the offset to read them at. */
  let from: Float64Array = fresh
  function treeContributions(t: number): number {
    const remembered = memoised[t] === 1
    const feats = treeFeatures[t]!
    let key = -1
    let table: Int16Array | null = null
    if (remembered) {
      key = keyOf(t)
      table = denseTable(t)
      const slot = table !== null ? table[key]! : (memo[t]?.get(key) ?? -1)
      if (slot >= 0) {
        from = arenas[t]!
        return slot * feats.length
      }
    }
    for (let k = 0; k < feats.length; k++) scratch[feats[k]!] = 0
    phiOut = scratch
    // The dummy root element (feature -1, fractions 1) carries the initial permutation weight.
    recurse(e.roots[t]!, 0, 0, 1, 1, -1)
    const slot = slotCount[t]!
    if (remembered && slot < MAX_MEMO_ENTRIES) {
      const arena = (arenas[t] ??= new Float64Array(MAX_MEMO_ENTRIES * feats.length))
      for (let k = 0; k < feats.length; k++) arena[slot * feats.length + k] = scratch[feats[k]!]!
      if (table !== null) table[key] = slot
      else (memo[t] ??= new Map()).set(key, slot)
      slotCount[t] = slot + 1
      from = arena
      return slot * feats.length
    }
    for (let k = 0; k < feats.length; k++) fresh[k] = scratch[feats[k]!]!
    from = fresh
    return 0
  }

  return {
    expectedValue,
    nFeatures,
    explain(row, phi) {
      if (row.length < nFeatures) throw new TreeEnsembleError(`row has ${row.length} values, the model needs ${nFeatures}`)
      toTreeSpace(e, row, x)
      const out = phi ?? new Float64Array(nFeatures)
      out.fill(0)
      for (let t = 0; t < e.nTrees; t++) {
        const at = treeContributions(t)
        const feats = treeFeatures[t]!
        for (let k = 0; k < feats.length; k++) out[feats[k]!] = out[feats[k]!]! + from[at + k]!
      }
      return { bias: expectedValue, phi: out }
    },
  }
}
