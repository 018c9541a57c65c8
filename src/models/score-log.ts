/**
 * What model_score_log keeps of a scored row's inputs: the vector in the version's manifest feature order (a
 * JSON array, a third of the size of an object keyed by feature name), each float32 input shown as the decimal
 * it was written as. Rows logged before 2026-12-02 hold objects keyed by name; `loggedByName` reads both.
 */
export type LoggedFeatures = (number | null)[] | Record<string, number | null>

/** A float32 input back to the decimal it was written as (0.1f → 0.1); NaN (missing) → null. */
export function shown(v: number): number | null {
  if (Number.isNaN(v)) return null
  // Integers of up to 7 digits (counts, flags, months: most features) print as themselves; skip toPrecision.
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v
  return Number(v.toPrecision(7))
}

/** The `count` inputs of one row of a row-major matrix, starting at `offset`. */
export function loggedVector(x: Float32Array, offset: number, count: number): (number | null)[] {
  const out = new Array<number | null>(count)
  for (let j = 0; j < count; j++) out[j] = shown(x[offset + j]!)
  return out
}

/** A logged vector by feature name, whichever form it was logged in. */
export function loggedByName(names: readonly string[], logged: LoggedFeatures): Record<string, number | null> {
  if (!Array.isArray(logged)) return logged
  const out: Record<string, number | null> = {}
  names.forEach((n, j) => { out[n] = logged[j] ?? null })
  return out
}
