/** Tunable definitions of the graph features, with the defaults documented in the graph README section of the report. */
import type { RelationType } from '../enterprises/enterprises.types.js'

export interface GraphParams {
  /** Edge types walked when counting blacklisted or dishonest parties within 1 and 2 hops. */
  blacklistTypes: readonly RelationType[]
  /** Edge types that make a risky enterprise a 1-hop neighbour. */
  defaultedTypes: readonly RelationType[]
  /** w(type) in the neighbour risk score; a path through a person multiplies the two edge weights. */
  riskWeights: Partial<Record<RelationType, number>>
  /** Half-life of a risk event in the neighbour risk score, days: λ = ln 2 / halfLifeDays. */
  halfLifeDays: number
  /** An attribute value (phone, address, legal representative) shared by more firms than this is a hub and ignored. */
  hubCap: number
  gangMinFirms: number
  gangMinKinds: number
  /**
   * Incremental updates recompute shared-attribute communities up to this many firms; a larger community keeps
   * its last full-run values (reported as stale) so one update stays within milliseconds.
   */
  maxCommunityUpdate: number
  damping: number
  maxIterations: number
  /** L1 change between PageRank iterations below which the iteration stops. */
  tolerance: number
}

export const DEFAULT_GRAPH_PARAMS: Readonly<GraphParams> = Object.freeze({
  blacklistTypes: ['LEGAL_REP', 'SHAREHOLDER', 'EXECUTIVE', 'GUARANTEE', 'INVESTMENT', 'SAME_PHONE', 'SAME_ADDRESS'],
  defaultedTypes: [
    'SHAREHOLDER', 'EXECUTIVE', 'LEGAL_REP', 'INVESTMENT', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE', 'SAME_PHONE',
    'SAME_ADDRESS',
  ],
  // Guarantees transmit default directly (the guarantor pays); control links next; trade links and shared
  // contact data are weaker evidence of a common fate.
  riskWeights: {
    GUARANTEE: 1, SHAREHOLDER: 0.8, LEGAL_REP: 0.8, INVESTMENT: 0.6, EXECUTIVE: 0.5, SUPPLIER: 0.4, CUSTOMER: 0.4,
    SAME_PHONE: 0.3, SAME_ADDRESS: 0.2,
  },
  halfLifeDays: 365,
  hubCap: 20,
  gangMinFirms: 3,
  gangMinKinds: 2,
  maxCommunityUpdate: 200,
  damping: 0.85,
  maxIterations: 100,
  // 1e-4 of the total mass: PageRank features need ranks, not the 7th digit, and each pass costs ~0.25 s at 1M.
  tolerance: 1e-4,
} satisfies GraphParams)

export function resolveParams(p: Partial<GraphParams> | undefined): GraphParams {
  return { ...DEFAULT_GRAPH_PARAMS, ...p }
}
