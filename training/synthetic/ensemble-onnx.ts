/**
 * One ONNX graph for the per-source ensemble (DESIGN §8):
 *   features [N,F] → (-1 → next float32 below, as training did) → one TreeEnsembleRegressor per source, each
 *   reading its own columns of the full input → margin_<source> [N,1] → Concat [N,k] → MatMul W + b → margin
 *   → Sigmoid → pd.
 * The per-source sub-scores are graph outputs too, so serving can report source-level reasons.
 */
import { ProtoWriter } from '../lib/protobuf.js'
import { MINUS_ONE_NUDGED } from '../lib/missing.js'
import { treeEnsembleAttributes } from '../lib/onnx-export.js'
import type { ParsedXgboostModel } from '../lib/xgb-binary.js'

export interface SourceModel {
  /** ASCII output name, e.g. margin_tax. */
  output: string
  /** Column indices of the full input this model was trained on, in its own feature order. */
  columns: number[]
  model: ParsedXgboostModel
}

export interface Stacker { weights: number[]; bias: number }

const FLOAT = 1
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const
type Attr = { ints: ArrayLike<number> } | { floats: ArrayLike<number> } | { strings: string[] } | { i: number } | { s: string }

function writeAttr(n: ProtoWriter, name: string, v: Attr): void {
  n.message(5, (a) => {
    a.string(1, name)
    if ('ints' in v) a.packedInts(8, v.ints).int(20, ATTR_TYPE.INTS)
    else if ('floats' in v) a.packedFloats(7, v.floats).int(20, ATTR_TYPE.FLOATS)
    else if ('strings' in v) { for (const s of v.strings) a.string(9, s); a.int(20, ATTR_TYPE.STRINGS) }
    else if ('i' in v) a.int(3, v.i).int(20, ATTR_TYPE.INT)
    else a.string(4, v.s).int(20, ATTR_TYPE.STRING)
  })
}

function addNode(g: ProtoWriter, op: string, inputs: string[], outputs: string[], attrs: Array<[string, Attr]> = [], domain = ''): void {
  g.message(1, (n) => {
    for (const i of inputs) n.string(1, i)
    for (const o of outputs) n.string(2, o)
    n.string(3, `${op}_${outputs[0]}`).string(4, op)
    for (const [k, v] of attrs) writeAttr(n, k, v)
    if (domain) n.string(7, domain)
  })
}

function addTensor(g: ProtoWriter, name: string, dims: number[], values: ArrayLike<number>): void {
  g.message(5, (t) => {
    if (dims.length > 0) t.packedInts(1, dims)
    t.int(2, FLOAT).packedFloats(4, values).string(8, name)
  })
}

function addValueInfo(g: ProtoWriter, field: 11 | 12, name: string, dims: Array<number | string>): void {
  g.message(field, (vi) => {
    vi.string(1, name)
    vi.message(2, (tp) => tp.message(1, (tt) => {
      tt.int(1, FLOAT)
      tt.message(2, (shape) => { for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d))) })
    }))
  })
}

/** The source model's TreeEnsembleRegressor attributes with feature ids mapped onto the full input. */
function remappedAttributes(s: SourceModel): Array<[string, Attr]> {
  return treeEnsembleAttributes(s.model).map(([k, v]) => {
    if (k !== 'nodes_featureids' || !('ints' in v)) return [k, v as Attr]
    return [k, { ints: Array.from(v.ints, (j) => s.columns[j] ?? 0) }]
  })
}

export function exportEnsembleOnnx(o: {
  sources: SourceModel[]; stacker: Stacker; featureCount: number; inputName: string; metadata?: Record<string, string>; graphName?: string
}): Uint8Array {
  const k = o.sources.length
  if (o.stacker.weights.length !== k) throw new Error(`the stacker has ${o.stacker.weights.length} weights for ${k} source models`)
  const m = new ProtoWriter()
  m.int(1, 8)
  m.message(8, (op) => op.string(1, '').int(2, 17))
  m.message(8, (op) => op.string(1, 'ai.onnx.ml').int(2, 3))
  m.string(2, 'credit-engine-training').string(3, '1').string(4, 'cn.credit-engine').int(5, 1)
  m.string(6, 'Per-source XGBoost models (ml-xgboost) stacked by a logistic regression on their margins; NaN = missing')
  m.message(7, (g) => {
    addNode(g, 'Equal', [o.inputName, 'minus_one'], ['is_minus_one'])
    addNode(g, 'Where', ['is_minus_one', 'minus_one_nudged', o.inputName], ['tree_input'])
    for (const s of o.sources) addNode(g, 'TreeEnsembleRegressor', ['tree_input'], [s.output], remappedAttributes(s), 'ai.onnx.ml')
    addNode(g, 'Concat', o.sources.map((s) => s.output), ['source_margins'], [['axis', { i: 1 }]])
    addNode(g, 'MatMul', ['source_margins', 'stacker_weights'], ['stacked'])
    addNode(g, 'Add', ['stacked', 'stacker_bias'], ['margin'])
    addNode(g, 'Sigmoid', ['margin'], ['pd'])
    g.string(2, o.graphName ?? 'stacked_credit_model')
    addTensor(g, 'minus_one', [], [-1])
    addTensor(g, 'minus_one_nudged', [], [MINUS_ONE_NUDGED])
    addTensor(g, 'stacker_weights', [k, 1], o.stacker.weights)
    addTensor(g, 'stacker_bias', [1], [o.stacker.bias])
    addValueInfo(g, 11, o.inputName, ['N', o.featureCount])
    addValueInfo(g, 12, 'margin', ['N', 1])
    addValueInfo(g, 12, 'pd', ['N', 1])
    for (const s of o.sources) addValueInfo(g, 12, s.output, ['N', 1])
  })
  for (const [key, v] of Object.entries(o.metadata ?? {})) m.message(14, (p) => p.string(1, key).string(2, v))
  return m.finish()
}
