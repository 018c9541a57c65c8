/**
 * Missing values. Artifacts and the serving path use NaN for "missing". ml-xgboost builds every DMatrix with
 * missing = -1 (a NaN aborts its WebAssembly module), so before training NaN becomes -1, and a genuine -1 becomes
 * the next float32 below -1 so it is not mistaken for missing. The ONNX graph applies the same -1 → next-below
 * rewrite, which keeps routing identical to training for every input.
 */
export const XGB_MISSING = -1
/** The largest float32 strictly below -1 (−1 − 2⁻²³). */
export const MINUS_ONE_NUDGED = Math.fround(-1 - 2 ** -23)

/** Graph-space value (NaN = missing) → the value ml-xgboost sees. */
export function toXgbValue(v: number): number {
  if (Number.isNaN(v)) return XGB_MISSING
  const f = Math.fround(v)
  return f === -1 ? MINUS_ONE_NUDGED : f
}

/** Graph-space value → the float32 the trees compare, NaN kept as missing. */
export function toTreeValue(v: number): number {
  const f = Math.fround(v)
  return f === -1 ? MINUS_ONE_NUDGED : f
}
