/**
 * A minimal protobuf wire-format reader: enough to walk ONNX messages. Every read is bounds-checked so a
 * truncated or foreign file fails with a `ProtobufDecodeError` naming the byte offset, never a RangeError.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError'
}

export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const

export class ProtoReader {
  pos: number
  private readonly dv: DataView

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) {
    this.pos = start
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  get done(): boolean {
    return this.pos >= this.end
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) throw new ProtobufDecodeError(`truncated: ${what} at byte ${this.pos} runs past the end (${this.end})`)
  }

  /**
   * Varint as a JS number. Values above 2^53 lose precision, which only matters for ids we never use; negative
   * int64 values (10-byte two's complement) come back negative, as ONNX stores e.g. -1 dims and tree ids that way.
   */
  varint(): number {
    const start = this.pos
    let result = 0
    let scale = 1
    // Up to 7 bytes (49 bits) stay exact in a double; longer varints are int64 values, decoded with BigInt.
    for (let i = 0; i < 7; i++) {
      this.need(1, 'varint')
      const b = this.bytes[this.pos++]!
      result += (b & 0x7f) * scale
      if (b < 0x80) return result
      scale *= 128
    }
    this.pos = start
    let big = 0n
    for (let i = 0; i < 10; i++) {
      this.need(1, 'varint')
      const b = this.bytes[this.pos++]!
      big |= BigInt(b & 0x7f) << BigInt(7 * i)
      if (b < 0x80) return Number(BigInt.asIntN(64, big))
    }
    throw new ProtobufDecodeError(`malformed varint at byte ${start}`)
  }

  /** Returns [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint()
    const field = Math.floor(t / 8)
    const wire = t & 7
    if (field === 0) throw new ProtobufDecodeError(`invalid field number 0 at byte ${this.pos}`)
    return [field, wire]
  }

  float(): number {
    this.need(4, 'float')
    const v = this.dv.getFloat32(this.pos, true)
    this.pos += 4
    return v
  }

  double(): number {
    this.need(8, 'double')
    const v = this.dv.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }

  /** A length-delimited field: returns [start, end] of its payload and moves past it. */
  span(): [number, number] {
    const len = this.varint()
    this.need(len, 'length-delimited field')
    const start = this.pos
    this.pos += len
    return [start, this.pos]
  }

  string(): string {
    const [s, e] = this.span()
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes.subarray(s, e))
  }

  sub(): ProtoReader {
    const [s, e] = this.span()
    return new ProtoReader(this.bytes, s, e)
  }

  skip(wire: number): void {
    if (wire === WIRE.VARINT) this.varint()
    else if (wire === WIRE.I64) { this.need(8, 'fixed64'); this.pos += 8 }
    else if (wire === WIRE.LEN) this.span()
    else if (wire === WIRE.I32) { this.need(4, 'fixed32'); this.pos += 4 }
    else throw new ProtobufDecodeError(`unsupported wire type ${wire} at byte ${this.pos}`)
  }

  /** Repeated varint field, packed (LEN) or not (one value). */
  pushVarints(wire: number, into: number[]): void {
    if (wire === WIRE.LEN) {
      const r = this.sub()
      while (!r.done) into.push(r.varint())
    } else if (wire === WIRE.VARINT) into.push(this.varint())
    else throw new ProtobufDecodeError(`expected an integer field, got wire type ${wire} at byte ${this.pos}`)
  }

  /** Repeated float field, packed (LEN) or not (fixed32). */
  pushFloats(wire: number, into: number[]): void {
    if (wire === WIRE.LEN) {
      const r = this.sub()
      while (!r.done) into.push(r.float())
    } else if (wire === WIRE.I32) into.push(this.float())
    else throw new ProtobufDecodeError(`expected a float field, got wire type ${wire} at byte ${this.pos}`)
  }

  pushDoubles(wire: number, into: number[]): void {
    if (wire === WIRE.LEN) {
      const r = this.sub()
      while (!r.done) into.push(r.double())
    } else if (wire === WIRE.I64) into.push(this.double())
    else throw new ProtobufDecodeError(`expected a double field, got wire type ${wire} at byte ${this.pos}`)
  }

  /** Calls `onField` for every field; the callback must consume the field or call `skip(wire)`. */
  each(onField: (field: number, wire: number) => void): void {
    while (!this.done) {
      const [field, wire] = this.tag()
      const before = this.pos
      onField(field, wire)
      if (this.pos === before) this.skip(wire)
    }
    if (this.pos !== this.end) throw new ProtobufDecodeError(`message overruns its length at byte ${this.pos}`)
  }
}
