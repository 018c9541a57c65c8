import type { RelationType } from '../enterprises/enterprises.types.js'

/** Stable small integer codes so edge types fit a Uint8Array and type sets fit a bit mask. */
export const EDGE_TYPES = [
  'SHAREHOLDER', 'EXECUTIVE', 'LEGAL_REP', 'INVESTMENT', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE',
  'SAME_PHONE', 'SAME_ADDRESS',
] as const satisfies readonly RelationType[]

export const EDGE_CODE: Readonly<Record<RelationType, number>> = Object.freeze(
  Object.fromEntries(EDGE_TYPES.map((t, i) => [t, i])) as Record<RelationType, number>,
)

export const T_SHAREHOLDER = 0
export const T_EXECUTIVE = 1
export const T_LEGAL_REP = 2
export const T_INVESTMENT = 3
export const T_SUPPLIER = 4
export const T_CUSTOMER = 5
export const T_GUARANTEE = 6
export const T_SAME_PHONE = 7
export const T_SAME_ADDRESS = 8

export const ALL_TYPES_MASK = (1 << EDGE_TYPES.length) - 1

export function edgeTypeName(code: number): RelationType {
  const t = EDGE_TYPES[code]
  if (t === undefined) throw new RangeError(`Unknown edge type code ${code}`)
  return t
}

export function typeMask(types: readonly RelationType[]): number {
  let m = 0
  for (const t of types) m |= 1 << EDGE_CODE[t]
  return m
}

/** Weight per edge type code, from a partial record (missing types weigh 0). */
export function typeWeights(weights: Partial<Record<RelationType, number>>): Float64Array {
  const w = new Float64Array(EDGE_TYPES.length)
  for (const [t, v] of Object.entries(weights)) {
    const code = EDGE_CODE[t as RelationType]
    if (code !== undefined && v !== undefined) w[code] = v
  }
  return w
}
