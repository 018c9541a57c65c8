/** Typed arrays that grow by doubling: the loader streams rows, so final sizes are unknown up front. */
export type NumArray = Int32Array | Uint8Array | Float64Array | Uint16Array

interface Ctor<T extends NumArray> { new (n: number): T }

/** Returns `a` when it already holds `need` slots, else a copy with at least double capacity. */
export function ensureCapacity<T extends NumArray>(a: T, need: number, fill = 0): T {
  if (need <= a.length) return a
  const cap = Math.max(need, a.length * 2, 16)
  const b = new (a.constructor as Ctor<T>)(cap)
  b.set(a as never)
  if (fill !== 0) b.fill(fill, a.length)
  return b
}
