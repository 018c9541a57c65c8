/**
 * Parsed XGBoost trees → ONNX (reference/xgboost-onnx.md §3.5):
 *   input [N,F] f32 (NaN = missing) → Equal(x, -1) + Where(next float32 below -1) → ai.onnx.ml
 *   TreeEnsembleRegressor (BRANCH_LT, post_transform NONE, base_values = base margin) → "margin" [N,1]
 *   → Sigmoid → "pd" [N,1].
 * The -1 rewrite mirrors what training did to genuine -1 values (see missing.ts), so routing matches exactly.
 */
import { ProtoWriter } from './protobuf.js'
import { MINUS_ONE_NUDGED } from './missing.js'
import type { ParsedXgboostModel } from './xgb-binary.js'

export interface ExportOptions {
  featureNames: readonly string[]
  inputName?: string
  /** Stored as ModelProto.metadata_props (string values). */
  metadata?: Record<string, string>
  /** Use only the first k trees (defaults to all). */
  treeLimit?: number
  graphName?: string
}

export const ONNX_OUTPUTS = { margin: 'margin', pd: 'pd' } as const
export const DEFAULT_INPUT_NAME = 'features'

const FLOAT = 1
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const
// ONNX onnx.proto field numbers
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 }
const GRAPH = { node: 1, name: 2, initializer: 5, input: 11, output: 12 }
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 }
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, strings: 9, type: 20 }
const TENSOR = { dims: 1, dataType: 2, floatData: 4, name: 8 }

type AttrValue = { ints: ArrayLike<number> } | { floats: ArrayLike<number> } | { strings: string[] } | { i: number } | { s: string }

function attribute(w: ProtoWriter, name: string, v: AttrValue): void {
  w.message(NODE.attribute, (a) => {
    a.string(ATTRIBUTE.name, name)
    if ('ints' in v) a.packedInts(ATTRIBUTE.ints, v.ints).int(ATTRIBUTE.type, ATTR.INTS)
    else if ('floats' in v) a.packedFloats(ATTRIBUTE.floats, v.floats).int(ATTRIBUTE.type, ATTR.FLOATS)
    else if ('strings' in v) { for (const s of v.strings) a.string(ATTRIBUTE.strings, s); a.int(ATTRIBUTE.type, ATTR.STRINGS) }
    else if ('i' in v) a.int(ATTRIBUTE.i, v.i).int(ATTRIBUTE.type, ATTR.INT)
    else a.string(ATTRIBUTE.s, v.s).int(ATTRIBUTE.type, ATTR.STRING)
  })
}

function node(g: ProtoWriter, op: string, inputs: string[], outputs: string[], domain = '', attrs: Array<[string, AttrValue]> = []): void {
  g.message(GRAPH.node, (n) => {
    for (const i of inputs) n.string(NODE.input, i)
    for (const o of outputs) n.string(NODE.output, o)
    n.string(NODE.name, `${op}_${outputs[0]}`).string(NODE.opType, op)
    for (const [k, v] of attrs) attribute(n, k, v)
    if (domain) n.string(NODE.domain, domain)
  })
}

function valueInfo(g: ProtoWriter, field: number, name: string, elemType: number, dims: Array<number | string>): void {
  g.message(field, (vi) => {
    vi.string(1, name)
    vi.message(2, (tp) => tp.message(1, (tt) => {
      tt.int(1, elemType)
      tt.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)))
      })
    }))
  })
}

function scalarInitializer(g: ProtoWriter, name: string, value: number): void {
  g.message(GRAPH.initializer, (t) => t.int(TENSOR.dataType, FLOAT).packedFloats(TENSOR.floatData, [value]).string(TENSOR.name, name))
}

/** Flattens the trees into TreeEnsembleRegressor attributes; covers go to nodes_hitrates for TreeSHAP. */
export function treeEnsembleAttributes(model: ParsedXgboostModel, treeLimit = model.trees.length): Array<[string, AttrValue]> {
  const treeIds: number[] = [], nodeIds: number[] = [], featureIds: number[] = [], modes: string[] = []
  const values: number[] = [], trueIds: number[] = [], falseIds: number[] = [], missingTrue: number[] = [], hitrates: number[] = []
  const tTree: number[] = [], tNode: number[] = [], tIds: number[] = [], tWeights: number[] = []
  model.trees.slice(0, treeLimit).forEach((tree, t) => {
    tree.nodes.forEach((n, i) => {
      treeIds.push(t); nodeIds.push(i); hitrates.push(n.cover)
      if (n.isLeaf) {
        featureIds.push(0); modes.push('LEAF'); values.push(0); trueIds.push(0); falseIds.push(0); missingTrue.push(0)
        tTree.push(t); tNode.push(i); tIds.push(tree.group); tWeights.push(n.leafValue)
      } else {
        featureIds.push(n.featureIndex); modes.push('BRANCH_LT'); values.push(n.threshold)
        trueIds.push(n.left); falseIds.push(n.right); missingTrue.push(n.defaultLeft ? 1 : 0)
      }
    })
  })
  return [
    ['n_targets', { i: 1 }], ['aggregate_function', { s: 'SUM' }], ['post_transform', { s: 'NONE' }],
    ['base_values', { floats: [model.baseMargin] }],
    ['nodes_treeids', { ints: treeIds }], ['nodes_nodeids', { ints: nodeIds }], ['nodes_featureids', { ints: featureIds }],
    ['nodes_modes', { strings: modes }], ['nodes_values', { floats: values }],
    ['nodes_truenodeids', { ints: trueIds }], ['nodes_falsenodeids', { ints: falseIds }],
    ['nodes_missing_value_tracks_true', { ints: missingTrue }], ['nodes_hitrates', { floats: hitrates }],
    ['target_treeids', { ints: tTree }], ['target_nodeids', { ints: tNode }], ['target_ids', { ints: tIds }],
    ['target_weights', { floats: tWeights }],
  ]
}

export function exportOnnx(model: ParsedXgboostModel, opts: ExportOptions): Uint8Array {
  if (model.numClass > 1) throw new Error('multiclass models are not exported (binary PD only)')
  if (opts.featureNames.length !== model.numFeature) {
    throw new Error(`model has ${model.numFeature} features but ${opts.featureNames.length} feature names were given`)
  }
  const input = opts.inputName ?? DEFAULT_INPUT_NAME
  const F = model.numFeature
  const m = new ProtoWriter()
  m.int(MODEL.irVersion, 8)
  m.message(MODEL.opsetImport, (o) => o.string(1, '').int(2, 17))
  m.message(MODEL.opsetImport, (o) => o.string(1, 'ai.onnx.ml').int(2, 3))
  m.string(MODEL.producerName, 'credit-engine-training').string(MODEL.producerVersion, '1')
  m.string(MODEL.domain, 'cn.credit-engine').int(MODEL.modelVersion, 1)
  m.string(MODEL.docString, 'XGBoost (ml-xgboost, legacy binary) exported by training/lib/onnx-export.ts; NaN = missing')
  m.message(MODEL.graph, (g) => {
    node(g, 'Equal', [input, 'minus_one'], ['is_minus_one'])
    node(g, 'Where', ['is_minus_one', 'minus_one_nudged', input], ['tree_input'])
    node(g, 'TreeEnsembleRegressor', ['tree_input'], [ONNX_OUTPUTS.margin], 'ai.onnx.ml', treeEnsembleAttributes(model, opts.treeLimit))
    node(g, 'Sigmoid', [ONNX_OUTPUTS.margin], [ONNX_OUTPUTS.pd])
    g.string(GRAPH.name, opts.graphName ?? 'credit_model')
    scalarInitializer(g, 'minus_one', -1)
    scalarInitializer(g, 'minus_one_nudged', MINUS_ONE_NUDGED)
    valueInfo(g, GRAPH.input, input, FLOAT, ['N', F])
    valueInfo(g, GRAPH.output, ONNX_OUTPUTS.margin, FLOAT, ['N', 1])
    valueInfo(g, GRAPH.output, ONNX_OUTPUTS.pd, FLOAT, ['N', 1])
  })
  for (const [k, v] of Object.entries(opts.metadata ?? {})) m.message(MODEL.metadataProps, (p) => p.string(1, k).string(2, v))
  return m.finish()
}
