/** Small shared helpers for the scorecard tests. */
import { DEFAULT_GRADES } from '../../training/lib/config.js'
import { adverseReasons, type Reason } from '../../src/models/scorecard.js'

export { DEFAULT_GRADES }
export { familyOf, REASON_FAMILIES } from '../../src/models/reason-families.js'

export function adverseReasonsFor(features: string[], phi: number[]): Reason[] {
  return adverseReasons(features, phi, 50 / Math.LN2)
}
