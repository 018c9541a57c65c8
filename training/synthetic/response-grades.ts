/**
 * Marketing-response grades 优质 / 良好 / 一般: the top 10 %, the next 30 % and the rest of the training split by
 * response score (the model's `pd` output, a response probability). Cut-offs are score values, so a lead is
 * graded by comparing its score, and the shares hold on a population like the development sample.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createSession, scoreOnnx } from '../lib/parity.js'
import type { SyntheticRun } from './source.js'

export interface ResponseGrade { grade: string; en: string; minScore: number; share: number }

export const RESPONSE_GRADE_SHARES = [
  { grade: '优质', en: 'prime', share: 0.1 },
  { grade: '良好', en: 'good', share: 0.3 },
  { grade: '一般', en: 'ordinary', share: 0.6 },
] as const

/** Cut-offs from scores: grade k starts at the score below which (1 − cumulative share) of the rows lie. */
export function gradeCutoffs(scores: ArrayLike<number>): ResponseGrade[] {
  const sorted = Float64Array.from(scores).sort()
  let cum = 0
  return RESPONSE_GRADE_SHARES.map((g, k) => {
    cum += g.share
    const last = k === RESPONSE_GRADE_SHARES.length - 1
    const at = Math.min(sorted.length - 1, Math.max(0, Math.floor((1 - cum) * sorted.length)))
    return { grade: g.grade, en: g.en, minScore: last ? 0 : sorted[at]!, share: g.share }
  })
}

/** Scores the training rows with the written model.onnx and derives the cut-offs. */
export async function responseGrades(out: string, run: SyntheticRun): Promise<ResponseGrade[]> {
  const session = await createSession(await readFile(join(out, 'model.onnx')))
  const m = { data: run.matrix.X, rows: run.matrix.rows, cols: run.matrix.featureNames.length }
  const { pd } = await scoreOnnx(session, 'features', m, run.trainRows)
  await session.release()
  return gradeCutoffs(pd)
}
