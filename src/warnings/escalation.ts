/**
 * What a classified event does to its enterprise's active direct warning (pure):
 * - none active → `created` at the event's level;
 * - the event's level is higher → `escalated` to it (the status stays: the warning is already being handled);
 * - the same event type already sits on the warning within MERGE_WINDOW_MS of this one → `merged`
 *   (a duplicate from another feed or a re-publication: counted, no new information);
 * - otherwise → `attached` (a lower or equal level event adds to the warning without changing its level).
 */
import type { WarningLevel } from '../rules/event-types.js'
import { levelRank } from './levels.js'

/** Seven days: vendors re-publish the same court or registry record within days under new ids. */
export const MERGE_WINDOW_MS = 7 * 24 * 3600 * 1000

export type EventEffect = 'created' | 'escalated' | 'attached' | 'merged'

export interface ActiveWarning {
  id: string
  level: WarningLevel
  eventType: string
  eventCount: number
  mergedCount: number
  firstEventAt: number
  lastEventAt: number
  /** Events already on the warning (type and occurrence time), for the merge window. */
  recent: { type: string; at: number }[]
}

export interface ClassifiedEvent {
  type: string
  level: WarningLevel
  at: number
}

export function effectOf(active: ActiveWarning | null, e: ClassifiedEvent): EventEffect {
  if (!active) return 'created'
  if (levelRank(e.level) > levelRank(active.level)) return 'escalated'
  if (active.recent.some((r) => r.type === e.type && Math.abs(r.at - e.at) <= MERGE_WINDOW_MS)) return 'merged'
  return 'attached'
}

/** The warning after the event (a new object; `created` needs the id of the new warning). */
export function applyEffect(active: ActiveWarning | null, e: ClassifiedEvent, effect: EventEffect, newId: () => string): ActiveWarning {
  if (effect === 'created' || !active) {
    return { id: newId(), level: e.level, eventType: e.type, eventCount: 1, mergedCount: 0, firstEventAt: e.at, lastEventAt: e.at, recent: [{ type: e.type, at: e.at }] }
  }
  const next: ActiveWarning = {
    ...active,
    firstEventAt: Math.min(active.firstEventAt, e.at),
    lastEventAt: Math.max(active.lastEventAt, e.at),
    recent: [...active.recent, { type: e.type, at: e.at }],
  }
  if (effect === 'merged') next.mergedCount++
  else next.eventCount++
  if (effect === 'escalated') { next.level = e.level; next.eventType = e.type }
  return next
}
