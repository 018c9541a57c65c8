/**
 * The part of a model manifest (DESIGN §8) that serving relies on, and its validation. Training writes a
 * superset (training/lib/manifest.ts); models from other toolchains may name their tensors differently, so
 * input/output names are read from the manifest, and a classifier's PD may be one column of a [N,2] output.
 */
export type ModelKind = 'credit-risk' | 'marketing-response' | 'generic'
export const MODEL_KINDS: readonly ModelKind[] = ['credit-risk', 'marketing-response', 'generic']

export interface Grade { grade: string; maxPd: number }
export interface PsiBaseline { edges: number[]; shares: number[]; missingShare: number }

export interface ServingManifest {
  name: string
  version: string
  kind: ModelKind
  /** Column j of the input tensor is features[j]; one-hot columns are named `column=level`. */
  features: string[]
  input: { name: string }
  /** Output tensor names; `margin` may be absent (then margin = logit(pd)); `pdColumn` picks a column of a [N,k] PD output. */
  outputs: { pd: string; margin?: string; pdColumn?: number }
  scorecard: { factor: number; offset: number; basePoints?: number; baseOdds?: number; pdo?: number }
  grades: Grade[]
  monotone?: { directions: Record<string, number> }
  baseline?: { features?: Record<string, PsiBaseline> }
  artifact: { sha256: string }
}

export interface ManifestProblem { pointer: string; message: string }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Every problem with a parsed manifest, located by JSON pointer; empty when it can be served. */
export function validateManifest(m: unknown): ManifestProblem[] {
  const out: ManifestProblem[] = []
  const bad = (pointer: string, message: string) => out.push({ pointer, message })
  if (!isObject(m)) return [{ pointer: '', message: 'the manifest must be a JSON object' }]
  const str = (v: unknown, pointer: string) => { if (typeof v !== 'string' || v === '') bad(pointer, v === undefined ? 'required' : 'must be a non-empty string') }
  str(m.name, '/name')
  str(m.version, '/version')
  if (!MODEL_KINDS.includes(m.kind as ModelKind)) bad('/kind', m.kind === undefined ? 'required' : `must be one of ${MODEL_KINDS.join(', ')}`)
  if (!Array.isArray(m.features) || m.features.length === 0) bad('/features', m.features === undefined ? 'required' : 'must be a non-empty array of feature names')
  else {
    const seen = new Set<string>()
    m.features.forEach((f, j) => {
      if (typeof f !== 'string' || f === '') bad(`/features/${j}`, 'must be a non-empty string')
      else if (seen.has(f)) bad(`/features/${j}`, `'${f}' is listed twice`)
      else seen.add(f)
    })
  }
  if (!isObject(m.input)) bad('/input', 'required: {name}')
  else str(m.input.name, '/input/name')
  if (!isObject(m.outputs)) bad('/outputs', 'required: {pd, margin?}')
  else {
    str(m.outputs.pd, '/outputs/pd')
    if (m.outputs.margin !== undefined) str(m.outputs.margin, '/outputs/margin')
    if (m.outputs.pdColumn !== undefined && !(Number.isInteger(m.outputs.pdColumn) && (m.outputs.pdColumn as number) >= 0)) bad('/outputs/pdColumn', 'must be a non-negative integer')
  }
  if (!isObject(m.scorecard)) bad('/scorecard', 'required: {factor, offset}')
  else {
    if (!isFiniteNumber(m.scorecard.factor) || m.scorecard.factor <= 0) bad('/scorecard/factor', m.scorecard.factor === undefined ? 'required' : 'must be a positive number')
    if (!isFiniteNumber(m.scorecard.offset)) bad('/scorecard/offset', m.scorecard.offset === undefined ? 'required' : 'must be a number')
  }
  if (!Array.isArray(m.grades) || m.grades.length === 0) bad('/grades', m.grades === undefined ? 'required' : 'must be a non-empty array of {grade, maxPd}')
  else {
    const grades: unknown[] = m.grades
    grades.forEach((g, i) => {
      if (!isObject(g) || typeof g.grade !== 'string' || !isFiniteNumber(g.maxPd)) bad(`/grades/${i}`, 'must be {grade: string, maxPd: number}')
      else if (!(g.maxPd > 0 && g.maxPd <= 1)) bad(`/grades/${i}/maxPd`, 'must be in (0, 1]')
      else if (i > 0 && isObject(grades[i - 1]) && !((grades[i - 1] as Grade).maxPd < g.maxPd)) bad(`/grades/${i}/maxPd`, 'must be larger than the previous grade')
    })
    const last = grades[grades.length - 1]
    if (isObject(last) && last.maxPd !== 1) bad(`/grades/${grades.length - 1}/maxPd`, 'the last grade must end at 1 so every PD has a grade')
  }
  if (m.monotone !== undefined) {
    if (!isObject(m.monotone) || !isObject(m.monotone.directions)) bad('/monotone/directions', 'must be an object of feature → -1 | 0 | 1')
    else {
      for (const [f, d] of Object.entries(m.monotone.directions)) {
        if (d !== -1 && d !== 0 && d !== 1) bad(`/monotone/directions/${escapePointer(f)}`, 'must be -1, 0 or 1')
        else if (d !== 0 && Array.isArray(m.features) && !m.features.includes(f)) bad(`/monotone/directions/${escapePointer(f)}`, `'${f}' is not a model feature`)
      }
    }
  }
  if (!isObject(m.artifact)) bad('/artifact', 'required: {sha256}')
  else if (typeof m.artifact.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.artifact.sha256)) bad('/artifact/sha256', m.artifact.sha256 === undefined ? 'required' : 'must be 64 lowercase hex digits')
  return out
}

/** RFC 6901 escaping for a key inside a JSON pointer. */
export const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')
