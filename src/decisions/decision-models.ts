import type { FeatureValue } from '../features/assemble.js'

/** What the decision pipeline needs of the model registry (src/models/models.service.ts provides it). */
export interface DecisionModels {
  score(
    name: string, input: { uscc?: string; features?: Record<string, FeatureValue> }, opts?: { explain?: boolean; version?: string; contributions?: boolean },
  ): Promise<{ name: string; version: string; role: string; pd: number; score: number; grade: string; reasons: { code: string; zh: string; en: string; points: number }[] }>
  scoreShadows(name: string, uscc: string, features: Record<string, FeatureValue>): Promise<{ name: string; version: string; pd: number; score: number }[]>
}
