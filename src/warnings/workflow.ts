/**
 * The warning workflow (pure): OPEN → ACKNOWLEDGED → CONFIRMED | DISMISSED → REPORTED → CLOSED.
 * Both outcomes are reported to head office before closing, as the diagram draws them; the outcome
 * stays on the warning as its `resolution`. A dismissal needs a comment saying why.
 */
import { ConflictError, ValidationError } from '../shared/errors.js'

export const WARNING_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CONFIRMED', 'DISMISSED', 'REPORTED', 'CLOSED'] as const
export type WarningStatus = (typeof WARNING_STATUSES)[number]
export const WARNING_ACTIONS = ['acknowledge', 'confirm', 'dismiss', 'report', 'close'] as const
export type WarningAction = (typeof WARNING_ACTIONS)[number]
export type Resolution = 'CONFIRMED' | 'DISMISSED'

const TRANSITIONS: Readonly<Record<WarningAction, { from: readonly WarningStatus[]; to: WarningStatus }>> = {
  acknowledge: { from: ['OPEN'], to: 'ACKNOWLEDGED' },
  confirm: { from: ['ACKNOWLEDGED'], to: 'CONFIRMED' },
  dismiss: { from: ['ACKNOWLEDGED'], to: 'DISMISSED' },
  report: { from: ['CONFIRMED', 'DISMISSED'], to: 'REPORTED' },
  close: { from: ['REPORTED'], to: 'CLOSED' },
}

export interface WorkflowState {
  status: WarningStatus
  resolution: Resolution | null
}

/** The actions allowed from a status. */
export function allowedActions(status: WarningStatus): WarningAction[] {
  return WARNING_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status))
}

/** The status an action leads to, or null when the action is not allowed from `status`. */
export function nextStatus(status: WarningStatus, action: WarningAction): WarningStatus | null {
  const t = TRANSITIONS[action]
  return t.from.includes(status) ? t.to : null
}

/** Applies an action; throws 409 invalid_transition when not allowed, 400 when a dismissal has no comment. */
export function applyTransition(state: WorkflowState, action: WarningAction, comment: string | null | undefined): WorkflowState {
  const to = nextStatus(state.status, action)
  if (to === null) {
    throw new ConflictError(`A ${state.status} warning cannot be ${action}d; allowed: ${allowedActions(state.status).join(', ') || 'none'}`,
      'invalid_transition', { currentStatus: state.status, allowedActions: allowedActions(state.status) })
  }
  if (action === 'dismiss' && (comment ?? '').trim() === '') {
    throw new ValidationError('Dismissing a warning needs a comment saying why', [{ in: 'body', pointer: '/comment', message: 'is required to dismiss' }], 'comment_required')
  }
  const resolution = to === 'CONFIRMED' || to === 'DISMISSED' ? to : state.resolution
  return { status: to, resolution }
}

/** Whether new events still attach to the warning: not closed and not dismissed (a dismissed one stays dismissed after reporting). */
export function isActive(state: WorkflowState): boolean {
  return state.status !== 'CLOSED' && state.resolution !== 'DISMISSED'
}
