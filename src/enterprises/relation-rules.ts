import { isValidUscc } from '../shared/uscc.js'
import type { RelationRow } from './enterprises.types.js'

export interface RelationProblem { field: string; message: string }

/** Which node types each relation type joins: [from, to]. */
const ENDPOINTS: Record<RelationRow['type'], [RelationRow['fromType'][] , RelationRow['toType'][]]> = {
  SHAREHOLDER: [['person', 'enterprise'], ['enterprise']],
  EXECUTIVE: [['person'], ['enterprise']],
  LEGAL_REP: [['person'], ['enterprise']],
  INVESTMENT: [['enterprise'], ['enterprise']],
  SUPPLIER: [['enterprise'], ['enterprise']],
  CUSTOMER: [['enterprise'], ['enterprise']],
  GUARANTEE: [['enterprise', 'person'], ['enterprise']],
  SAME_PHONE: [['enterprise'], ['enterprise']],
  SAME_ADDRESS: [['enterprise'], ['enterprise']],
}

/** The semantic checks of one relation row beyond its schema (pure). */
export function relationProblems(r: RelationRow): RelationProblem[] {
  const out: RelationProblem[] = []
  const [from, to] = ENDPOINTS[r.type]
  if (!from.includes(r.fromType)) out.push({ field: 'fromType', message: `${r.type} must start at ${from.join(' or ')}` })
  if (!to.includes(r.toType)) out.push({ field: 'toType', message: `${r.type} must end at ${to.join(' or ')}` })
  if (r.fromType === 'enterprise' && !isValidUscc(r.fromId)) out.push({ field: 'fromId', message: 'is not a valid USCC' })
  if (r.toType === 'enterprise' && !isValidUscc(r.toId)) out.push({ field: 'toId', message: 'is not a valid USCC' })
  if (r.fromType === r.toType && r.fromId === r.toId) out.push({ field: 'toId', message: 'a relation cannot join a node to itself' })
  if (r.type === 'SHAREHOLDER' && (r.ratio === undefined || r.ratio === null)) out.push({ field: 'ratio', message: 'is required for SHAREHOLDER' })
  if (r.type !== 'SHAREHOLDER' && r.type !== 'INVESTMENT' && r.ratio != null) out.push({ field: 'ratio', message: `is only meaningful for SHAREHOLDER and INVESTMENT` })
  if (r.since && r.until && r.until < r.since) out.push({ field: 'until', message: 'is before since' })
  return out
}
