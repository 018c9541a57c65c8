/**
 * Feature record → model input row in the manifest's column order. Mirrors training's encoding
 * (training/lib/tabular.ts): NaN = missing; a text column is one-hot as `column=level` columns, a missing value
 * is NaN in every one of them and an unseen level is all zeros.
 */
export type FeatureValue = number | boolean | string | null | undefined
export type FeatureValues = Readonly<Record<string, FeatureValue>>

export class VectorizeError extends Error {
  override readonly name = 'VectorizeError'
  constructor(readonly feature: string, message: string) {
    super(message)
  }
}

type Column = { kind: 'plain'; name: string } | { kind: 'onehot'; name: string; column: string; level: string }

const NUMERIC = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/

function plainValue(feature: string, v: FeatureValue): number {
  if (v === null || v === undefined) return Number.NaN
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  if (NUMERIC.test(v)) return Number(v)
  // A text value for a numeric column would otherwise be scored as "missing" without anyone noticing.
  throw new VectorizeError(feature, `feature '${feature}' got the text '${v.slice(0, 40)}' but the model reads it as a number (one-hot columns are named '${feature}=<value>')`)
}

export type Vectorizer = (values: FeatureValues, out?: Float32Array) => Float32Array

/** Compiles the column plan once per feature list. */
export function compileVectorizer(features: readonly string[]): Vectorizer {
  const cols: Column[] = features.map((name) => {
    const eq = name.indexOf('=')
    return eq > 0 ? { kind: 'onehot', name, column: name.slice(0, eq), level: name.slice(eq + 1) } : { kind: 'plain', name }
  })
  const own = Object.prototype.hasOwnProperty
  return (values, out = new Float32Array(cols.length)) => {
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j]!
      if (c.kind === 'plain' || own.call(values, c.name)) {
        out[j] = plainValue(c.name, values[c.name])
        continue
      }
      const v = values[c.column]
      out[j] = v === null || v === undefined ? Number.NaN : String(v) === c.level ? 1 : 0
    }
    return out
  }
}

const cache = new WeakMap<readonly string[], Vectorizer>()

/** Record → Float32Array in `manifest.features` order (booleans 1/0, null/undefined NaN, categories one-hot). */
export function vectorize(values: FeatureValues, manifest: { features: readonly string[] }, out?: Float32Array): Float32Array {
  let v = cache.get(manifest.features)
  if (!v) {
    v = compileVectorizer(manifest.features)
    cache.set(manifest.features, v)
  }
  return v(values, out)
}
