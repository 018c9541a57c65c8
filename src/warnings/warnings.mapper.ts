import { RISK_EVENT_BY_CODE, type WarningLevel } from '../rules/event-types.js'
import type { HistoryRow, LinkedEventRow, WarningRow } from './warnings.repository.js'
import type { Warning } from './warnings.schemas.js'
import type { WarningStatus } from './workflow.js'
import type { RelationPath } from './propagation.js'

export const LEVEL_ZH: Readonly<Record<WarningLevel, string>> = { HIGH: '预警', MEDIUM: '关注', LOW: '提示' }

const iso = (d: Date | string) => new Date(d).toISOString()

export function toWarning(r: WarningRow): Warning {
  const level = r.level as WarningLevel
  return {
    id: r.id, uscc: r.uscc, enterpriseName: r.enterprise_name, level, levelZh: LEVEL_ZH[level] ?? level,
    status: r.status as WarningStatus, resolution: r.resolution, branchId: r.branch_id,
    eventType: r.event_type, eventTypeZh: RISK_EVENT_BY_CODE.get(r.event_type)?.zh ?? r.event_type,
    kind: r.propagated_from_uscc ? 'propagated' : 'direct', propagatedFromUscc: r.propagated_from_uscc,
    propagatedFromWarningId: r.propagated_from_warning_id, dimension: r.dimension, path: (r.relation_path ?? null) as RelationPath | null,
    reasons: r.reasons, eventCount: r.event_count, mergedCount: r.merged_count,
    firstEventAt: iso(r.first_event_at), lastEventAt: iso(r.last_event_at), version: r.version,
    createdAt: iso(r.created_at), updatedAt: iso(r.updated_at),
  }
}

export function toEvent(e: LinkedEventRow) {
  return {
    id: e.id, externalId: e.external_id, uscc: e.uscc, type: e.type, level: e.level, role: e.role, occurredAt: iso(e.occurred_at),
    severity: e.severity, amount: e.amount, source: e.source, payload: e.payload ?? null,
  }
}

export function toHistory(h: HistoryRow) {
  return {
    action: h.action, fromStatus: h.from_status, toStatus: h.to_status, fromLevel: h.from_level, toLevel: h.to_level,
    version: h.version, actor: h.actor, comment: h.comment, at: iso(h.at),
  }
}
