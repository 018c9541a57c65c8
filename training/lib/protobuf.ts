/**
 * A minimal protobuf writer: just enough wire format (varint, 32-bit, length-delimited) to emit ONNX messages.
 * Messages are built bottom-up as byte arrays, so nesting is a length-delimited field holding another message.
 */
export class ProtoWriter {
  private chunks: Uint8Array[] = []
  private size = 0

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes)
    this.size += bytes.length
  }

  private varint(value: number | bigint): void {
    // int64 fields: negative numbers are sent as 10-byte two's complement, as protobuf requires
    let v = BigInt.asUintN(64, BigInt(value))
    const out: number[] = []
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80)
      v >>= 7n
    }
    out.push(Number(v))
    this.push(Uint8Array.from(out))
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType)
  }

  int(field: number, value: number): this {
    this.tag(field, 0)
    this.varint(value)
    return this
  }

  float(field: number, value: number): this {
    this.tag(field, 5)
    const b = new Uint8Array(4)
    new DataView(b.buffer).setFloat32(0, value, true)
    this.push(b)
    return this
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2)
    this.varint(value.length)
    this.push(value)
    return this
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter()
    build(w)
    return this.bytes(field, w.finish())
  }

  packedInts(field: number, values: ArrayLike<number>): this {
    const w = new ProtoWriter()
    for (let i = 0; i < values.length; i++) w.varint(values[i]!)
    return this.bytes(field, w.finish())
  }

  /** Packed float32: values must already be float32-representable to keep split thresholds bit-exact. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const b = new Uint8Array(values.length * 4)
    const dv = new DataView(b.buffer)
    for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true)
    return this.bytes(field, b)
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size)
    let o = 0
    for (const c of this.chunks) {
      out.set(c, o)
      o += c.length
    }
    return out
  }
}
