/**
 * Graph embeddings gnnEmbedding0..15 by SIGN (Frasca et al. 2020), a precomputed-propagation GNN: the
 * propagation Â·X, Â²·X over the whole relation graph (persons included, every edge type, undirected, with
 * self-loops and symmetric normalisation) runs once on typed arrays, and only a dense MLP
 * [X, ÂX, Â²X] → 64 → 16 → 1 is trained in TensorFlow.js (WASM backend) on the labels of TRAIN enterprises.
 * The 16-unit hidden layer is the embedding. Message passing inside autograd is avoided on purpose: see
 * reference/training-performance.md (no UnsortedSegmentSum kernel on WASM, pathological on CPU).
 */
import { sql } from 'kysely'
import type { Db } from '../../src/db/database.js'
import { exportGnn, type GnnExport } from '../../src/graph/gnn-export.js'
import { KIND_PERSON } from '../../src/graph/graph.js'
import { seededRandom } from '../lib/split.js'

export const GNN_DIMS = 16
export const GNN_FEATURES = Array.from({ length: GNN_DIMS }, (_, i) => `gnnEmbedding${i}`)

type Tf = typeof import('@tensorflow/tfjs')
let tfReady: Promise<Tf> | null = null

/** TensorFlow.js on the WASM backend (about 4× faster than its CPU backend for dense layers here). */
export function loadTf(): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = await import('@tensorflow/tfjs')
    await import('@tensorflow/tfjs-backend-wasm')
    await tf.setBackend('wasm')
    await tf.ready()
    return tf
  })()
  return tfReady
}

/** Symmetrically normalised adjacency with self-loops, Â = D^-1/2 (A + I) D^-1/2, as CSR. */
export function normalisedAdjacency(n: number, edges: GnnExport['edges']): { start: Int32Array; nbr: Int32Array; w: Float32Array } {
  const deg = new Int32Array(n).fill(1)
  const lists = Object.values(edges)
  for (const l of lists) for (let e = 0; e < l.src.length; e++) { deg[l.src[e]!]!++; deg[l.dst[e]!]!++ }
  const start = new Int32Array(n + 1)
  for (let v = 0; v < n; v++) start[v + 1] = start[v]! + deg[v]!
  const nbr = new Int32Array(start[n]!)
  const fill = Int32Array.from(start.subarray(0, n))
  for (let v = 0; v < n; v++) nbr[fill[v]!++] = v
  for (const l of lists) {
    for (let e = 0; e < l.src.length; e++) {
      const a = l.src[e]!, b = l.dst[e]!
      nbr[fill[a]!++] = b
      nbr[fill[b]!++] = a
    }
  }
  const w = new Float32Array(nbr.length)
  for (let v = 0; v < n; v++) for (let k = start[v]!; k < start[v + 1]!; k++) w[k] = 1 / Math.sqrt(deg[v]! * deg[nbr[k]!]!)
  return { start, nbr, w }
}

/** out = Â · x for a row-major n × d matrix. */
export function propagate(adj: ReturnType<typeof normalisedAdjacency>, x: Float32Array, d: number): Float32Array {
  const n = adj.start.length - 1
  const out = new Float32Array(n * d)
  for (let v = 0; v < n; v++) {
    const o = v * d
    for (let k = adj.start[v]!; k < adj.start[v + 1]!; k++) {
      const u = adj.nbr[k]! * d
      const wk = adj.w[k]!
      for (let j = 0; j < d; j++) out[o + j]! += wk * x[u + j]!
    }
  }
  return out
}

/** Node inputs: signed log1p (counts and ratios are heavy-tailed), then standardised per column. */
function nodeInputs(ex: GnnExport): { x: Float32Array; d: number } {
  const d = ex.featureNames.length
  const n = ex.nodeIds.length
  const x = new Float32Array(n * d)
  for (let i = 0; i < x.length; i++) { const v = ex.features[i]!; x[i] = Math.sign(v) * Math.log1p(Math.abs(v)) }
  for (let j = 0; j < d; j++) {
    let s = 0, s2 = 0
    for (let v = 0; v < n; v++) { const a = x[v * d + j]!; s += a; s2 += a * a }
    const mean = s / n
    const sd = Math.sqrt(Math.max(s2 / n - mean * mean, 0)) || 1
    for (let v = 0; v < n; v++) x[v * d + j] = (x[v * d + j]! - mean) / sd
  }
  return { x, d }
}

export interface GnnOptions {
  /** Labels by USCC for the training enterprises only; test enterprises must be absent. */
  trainLabels: ReadonlyMap<string, number>
  seed: number
  epochs?: number
  batchSize?: number
  log?: (s: string) => void
}

export interface GnnResult { usccs: string[]; embeddings: Float32Array; trainLoss: number; seconds: number }

/** Trains the SIGN MLP and returns the 16-dim embedding of every enterprise node. */
export async function trainGnnEmbeddings(ex: GnnExport, o: GnnOptions): Promise<GnnResult> {
  const t0 = Date.now()
  const tf = await loadTf()
  const log = o.log ?? (() => {})
  const n = ex.nodeIds.length
  const { x, d } = nodeInputs(ex)
  const adj = normalisedAdjacency(n, ex.edges)
  const ax = propagate(adj, x, d)
  const a2x = propagate(adj, ax, d)
  const width = 3 * d
  const enterprises: number[] = []
  for (let v = 0; v < n; v++) if (ex.nodeTypes[v] !== KIND_PERSON) enterprises.push(v)
  const inputOf = (nodes: readonly number[]): Float32Array => {
    const out = new Float32Array(nodes.length * width)
    nodes.forEach((v, i) => {
      out.set(x.subarray(v * d, (v + 1) * d), i * width)
      out.set(ax.subarray(v * d, (v + 1) * d), i * width + d)
      out.set(a2x.subarray(v * d, (v + 1) * d), i * width + 2 * d)
    })
    return out
  }
  const train = enterprises.filter((v) => o.trainLabels.has(ex.nodeIds[v]!))
  log(`gnn: ${n} nodes (${enterprises.length} enterprises), ${adj.nbr.length - n} directed adjacencies, training on ${train.length} enterprises`)
  const init = (k: number) => tf.initializers.glorotUniform({ seed: o.seed + k })
  const reg = tf.regularizers.l2({ l2: 1e-4 })
  const input = tf.input({ shape: [width] })
  const h1 = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(1), kernelRegularizer: reg }).apply(input) as import('@tensorflow/tfjs').SymbolicTensor
  const emb = tf.layers.dense({ units: GNN_DIMS, activation: 'tanh', kernelInitializer: init(2), kernelRegularizer: reg, name: 'embedding' }).apply(h1) as import('@tensorflow/tfjs').SymbolicTensor
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(3) }).apply(emb) as import('@tensorflow/tfjs').SymbolicTensor
  const model = tf.model({ inputs: input, outputs: out })
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'binaryCrossentropy' })
  const embedder = tf.model({ inputs: input, outputs: emb })

  const rnd = seededRandom(o.seed)
  const batch = o.batchSize ?? 1024
  const epochs = o.epochs ?? 8
  const order = [...train]
  let lastLoss = Number.NaN
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!] }
    let sum = 0, batches = 0
    for (let s = 0; s < order.length; s += batch) {
      const part = order.slice(s, s + batch)
      const xs = tf.tensor2d(inputOf(part), [part.length, width])
      const ys = tf.tensor2d(Float32Array.from(part, (v) => o.trainLabels.get(ex.nodeIds[v]!)!), [part.length, 1])
      const loss = await model.trainOnBatch(xs, ys)
      sum += Array.isArray(loss) ? loss[0]! : loss
      batches++
      xs.dispose(); ys.dispose()
    }
    lastLoss = sum / Math.max(1, batches)
    log(`gnn: epoch ${epoch + 1}/${epochs} loss ${lastLoss.toFixed(4)}`)
  }
  const embeddings = new Float32Array(enterprises.length * GNN_DIMS)
  for (let s = 0; s < enterprises.length; s += 8192) {
    const part = enterprises.slice(s, s + 8192)
    const e = tf.tidy(() => embedder.predict(tf.tensor2d(inputOf(part), [part.length, width])) as import('@tensorflow/tfjs').Tensor)
    embeddings.set(await e.data() as Float32Array, s * GNN_DIMS)
    e.dispose()
  }
  model.dispose()
  return { usccs: enterprises.map((v) => ex.nodeIds[v]!), embeddings, trainLoss: lastLoss, seconds: (Date.now() - t0) / 1000 }
}

/** Merges the embeddings into each enterprise's feature row of the snapshot (graph features are kept). */
export async function writeEmbeddings(db: Db, snapshotId: string, r: GnnResult): Promise<number> {
  let written = 0
  for (let s = 0; s < r.usccs.length; s += 5000) {
    const usccs = r.usccs.slice(s, s + 5000)
    const values = usccs.map((_, i) => JSON.stringify(Object.fromEntries(GNN_FEATURES.map((f, j) => [f, Number(r.embeddings[(s + i) * GNN_DIMS + j]!.toPrecision(7))]))))
    const res = await sql`update feature_rows f set values = f.values || d.v
      from unnest(${usccs}::text[], ${values}::jsonb[]) as d(uscc, v)
      where f.uscc = d.uscc and f.snapshot_id = ${snapshotId}::uuid`.execute(db)
    written += Number(res.numAffectedRows ?? 0)
  }
  return written
}

/** Export → train → write: the GNN step of the synthetic pipeline. */
export async function computeGnnFeatures(db: Db, loaded: { graph: Parameters<typeof exportGnn>[0]; features: Parameters<typeof exportGnn>[1]; snapshotId: string }, o: GnnOptions) {
  const result = await trainGnnEmbeddings(exportGnn(loaded.graph, loaded.features), o)
  const written = await writeEmbeddings(db, loaded.snapshotId, result)
  o.log?.(`gnn: ${written} feature rows updated in ${result.seconds.toFixed(1)} s (final training loss ${result.trainLoss.toFixed(4)})`)
  return { ...result, written }
}
