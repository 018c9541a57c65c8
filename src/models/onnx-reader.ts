/**
 * Decodes an ONNX ModelProto (onnx/onnx.proto field numbers) far enough to inspect a model before serving it:
 * input/output types (tensor vs sequence/map, so a ZipMap output can be refused), nodes with their attributes,
 * initializers and metadata_props. Sub-graphs and sparse tensors are skipped: our checks never need them.
 */
import { ProtobufDecodeError, ProtoReader, WIRE } from './protobuf-reader.js'

export { ProtobufDecodeError }

export type OnnxType =
  | { kind: 'tensor'; elemType: number; shape: Array<number | string | null> | null }
  | { kind: 'sequence'; elem: OnnxType | null }
  | { kind: 'map'; keyType: number; value: OnnxType | null }
  | { kind: 'optional'; elem: OnnxType | null }
  | { kind: 'other' }

export interface OnnxValueInfo { name: string; type: OnnxType | null }

export interface OnnxTensor {
  name: string
  dims: number[]
  dataType: number
  /** Numeric contents (float, double and integer types), from the typed fields or raw_data. */
  values: number[]
}

export interface OnnxAttribute {
  name: string
  type: number
  f?: number
  i?: number
  s?: string
  t?: OnnxTensor
  floats?: number[]
  ints?: number[]
  strings?: string[]
}

export interface OnnxNode { name: string; opType: string; domain: string; inputs: string[]; outputs: string[]; attributes: Map<string, OnnxAttribute> }

export interface OnnxGraph {
  name: string
  nodes: OnnxNode[]
  /** Graph inputs that are not initializers: what a caller feeds. */
  inputs: OnnxValueInfo[]
  outputs: OnnxValueInfo[]
  initializers: Map<string, OnnxTensor>
}

export interface OnnxModel {
  irVersion: number
  producerName: string
  producerVersion: string
  opsets: Array<{ domain: string; version: number }>
  metadata: Record<string, string>
  graph: OnnxGraph
}

/** TensorProto.DataType values we name in messages. */
export const ELEM_TYPE: Record<number, string> = { 1: 'float', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'double' }

export function describeType(t: OnnxType | null): string {
  if (!t) return 'unknown'
  switch (t.kind) {
    case 'tensor': return `tensor(${ELEM_TYPE[t.elemType] ?? t.elemType})[${t.shape?.map((d) => d ?? '?').join(',') ?? '?'}]`
    case 'sequence': return `seq(${describeType(t.elem)})`
    case 'map': return `map(${ELEM_TYPE[t.keyType] ?? t.keyType}, ${describeType(t.value)})`
    case 'optional': return `optional(${describeType(t.elem)})`
    default: return 'other'
  }
}

function readTensor(r: ProtoReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0, values: [] }
  let raw: Uint8Array | null = null
  r.each((f, w) => {
    if (f === 1) r.pushVarints(w, t.dims)
    else if (f === 2) t.dataType = r.varint()
    else if (f === 4) r.pushFloats(w, t.values)
    else if (f === 5 || f === 7 || f === 11) r.pushVarints(w, t.values) // int32_data, int64_data, uint64_data
    else if (f === 8) t.name = r.string()
    else if (f === 9) { const [s, e] = r.span(); raw = r.bytes.subarray(s, e) }
    else if (f === 10) r.pushDoubles(w, t.values)
  })
  if (raw) t.values = decodeRaw(raw, t.dataType)
  return t
}

function decodeRaw(raw: Uint8Array, dataType: number): number[] {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const out: number[] = []
  const step = dataType === 11 || dataType === 7 ? 8 : dataType === 1 || dataType === 6 ? 4 : dataType === 2 || dataType === 3 || dataType === 9 ? 1 : 0
  if (step === 0) return out
  for (let o = 0; o + step <= raw.length; o += step) {
    if (dataType === 1) out.push(dv.getFloat32(o, true))
    else if (dataType === 11) out.push(dv.getFloat64(o, true))
    else if (dataType === 6) out.push(dv.getInt32(o, true))
    else if (dataType === 7) out.push(Number(dv.getBigInt64(o, true)))
    else if (dataType === 3) out.push(dv.getInt8(o))
    else out.push(dv.getUint8(o))
  }
  return out
}

function readType(r: ProtoReader): OnnxType {
  let t: OnnxType = { kind: 'other' }
  r.each((f) => {
    if (f === 1) {
      const tt: OnnxType & { kind: 'tensor' } = { kind: 'tensor', elemType: 0, shape: null }
      const s = r.sub()
      s.each((g) => {
        if (g === 1) tt.elemType = s.varint()
        else if (g === 2) tt.shape = readShape(s.sub())
      })
      t = tt
    } else if (f === 4 || f === 9) {
      let elem: OnnxType | null = null
      const s = r.sub()
      s.each((g) => { if (g === 1) elem = readType(s.sub()) })
      t = f === 4 ? { kind: 'sequence', elem } : { kind: 'optional', elem }
    } else if (f === 5) {
      const m: OnnxType & { kind: 'map' } = { kind: 'map', keyType: 0, value: null }
      const s = r.sub()
      s.each((g) => {
        if (g === 1) m.keyType = s.varint()
        else if (g === 2) m.value = readType(s.sub())
      })
      t = m
    }
  })
  return t
}

function readShape(r: ProtoReader): Array<number | string | null> {
  const dims: Array<number | string | null> = []
  r.each((f) => {
    if (f !== 1) return
    let d: number | string | null = null
    const dr = r.sub()
    dr.each((g) => {
      if (g === 1) d = dr.varint()
      else if (g === 2) d = dr.string()
    })
    dims.push(d)
  })
  return dims
}

function readValueInfo(r: ProtoReader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', type: null }
  r.each((f) => {
    if (f === 1) v.name = r.string()
    else if (f === 2) v.type = readType(r.sub())
  })
  return v
}

function readAttribute(r: ProtoReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0 }
  r.each((f, w) => {
    if (f === 1) a.name = r.string()
    else if (f === 2) a.f = r.float()
    else if (f === 3) a.i = r.varint()
    else if (f === 4) a.s = r.string()
    else if (f === 5) a.t = readTensor(r.sub())
    else if (f === 7) r.pushFloats(w, (a.floats ??= []))
    else if (f === 8) r.pushVarints(w, (a.ints ??= []))
    else if (f === 9) (a.strings ??= []).push(r.string())
    else if (f === 20) a.type = r.varint()
  })
  return a
}

function readNode(r: ProtoReader): OnnxNode {
  const n: OnnxNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() }
  r.each((f) => {
    if (f === 1) n.inputs.push(r.string())
    else if (f === 2) n.outputs.push(r.string())
    else if (f === 3) n.name = r.string()
    else if (f === 4) n.opType = r.string()
    else if (f === 5) { const a = readAttribute(r.sub()); n.attributes.set(a.name, a) }
    else if (f === 7) n.domain = r.string()
  })
  return n
}

function readGraph(r: ProtoReader): OnnxGraph {
  const g: OnnxGraph = { name: '', nodes: [], inputs: [], outputs: [], initializers: new Map() }
  r.each((f) => {
    if (f === 1) g.nodes.push(readNode(r.sub()))
    else if (f === 2) g.name = r.string()
    else if (f === 5) { const t = readTensor(r.sub()); g.initializers.set(t.name, t) }
    else if (f === 11) g.inputs.push(readValueInfo(r.sub()))
    else if (f === 12) g.outputs.push(readValueInfo(r.sub()))
  })
  // IR < 4 lists initializers among the inputs too; callers only feed the rest.
  g.inputs = g.inputs.filter((i) => !g.initializers.has(i.name))
  return g
}

/** Decodes ONNX bytes; throws `ProtobufDecodeError` with a readable reason for anything that is not a model. */
export function readOnnxModel(bytes: Uint8Array): OnnxModel {
  if (bytes.length === 0) throw new ProtobufDecodeError('the file is empty')
  const m: OnnxModel = { irVersion: 0, producerName: '', producerVersion: '', opsets: [], metadata: {}, graph: { name: '', nodes: [], inputs: [], outputs: [], initializers: new Map() } }
  let hasGraph = false
  const r = new ProtoReader(bytes)
  r.each((f, w) => {
    if (f === 1 && w === WIRE.VARINT) m.irVersion = r.varint()
    else if (f === 2 && w === WIRE.LEN) m.producerName = r.string()
    else if (f === 3 && w === WIRE.LEN) m.producerVersion = r.string()
    else if (f === 7 && w === WIRE.LEN) { m.graph = readGraph(r.sub()); hasGraph = true }
    else if (f === 8 && w === WIRE.LEN) {
      const o = { domain: '', version: 0 }
      const s = r.sub()
      s.each((g) => { if (g === 1) o.domain = s.string(); else if (g === 2) o.version = s.varint() })
      m.opsets.push(o)
    } else if (f === 14 && w === WIRE.LEN) {
      let k = ''
      let v = ''
      const s = r.sub()
      s.each((g) => { if (g === 1) k = s.string(); else if (g === 2) v = s.string() })
      m.metadata[k] = v
    }
  })
  if (m.irVersion <= 0 || !hasGraph) throw new ProtobufDecodeError('not an ONNX model: no ir_version or no graph')
  return m
}
