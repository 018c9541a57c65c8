/**
 * The lead workflow (pure): UNCLAIMED → FOLLOWING (claim) → PROPOSED → WON | CLOSED. A lead being followed
 * may also be closed before a proposal; closing always needs a note giving the reason.
 */
import { ConflictError, ValidationError } from '../shared/errors.js'

export const LEAD_STATUSES = ['UNCLAIMED', 'FOLLOWING', 'PROPOSED', 'WON', 'CLOSED'] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]
export const LEAD_TARGETS = ['PROPOSED', 'WON', 'CLOSED'] as const
export type LeadTarget = (typeof LEAD_TARGETS)[number]

const NEXT: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  UNCLAIMED: ['FOLLOWING'],
  FOLLOWING: ['PROPOSED', 'CLOSED'],
  PROPOSED: ['WON', 'CLOSED'],
  WON: [],
  CLOSED: [],
}

/** Whether new opportunity events still attach to a lead in this status. */
export const isOpen = (status: string): boolean => status !== 'WON' && status !== 'CLOSED'

/** The statuses reachable in one step from `status`. */
export function allowedNext(status: LeadStatus): LeadStatus[] {
  return [...NEXT[status]]
}

/** The status a step leads to; 409 invalid_transition when not allowed, 400 when closing without a reason. */
export function applyLeadTransition(status: LeadStatus, to: LeadStatus, note: string | null): LeadStatus {
  if (!NEXT[status].includes(to)) {
    throw new ConflictError(`A ${status} lead cannot move to ${to}; allowed: ${NEXT[status].join(', ') || 'none'}`,
      'invalid_transition', { currentStatus: status, allowed: allowedNext(status) })
  }
  if (to === 'CLOSED' && (note ?? '').trim() === '') {
    throw new ValidationError('Closing a lead needs a note giving the reason', [{ in: 'body', pointer: '/note', message: 'is required to close a lead' }], 'note_required')
  }
  return to
}
