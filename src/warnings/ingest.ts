/**
 * Risk-event ingest: validate per row, store idempotently, classify (warning-levels), create / escalate /
 * attach / merge the enterprise's warning, propagate over the relation graph (warning-propagation) and write
 * the HIGH-on-a-customer notifications to the outbox, all in one transaction per batch.
 *
 * Events for enterprises we do not know are rejected per row ("unknown enterprise"), like every other ingest
 * endpoint: a warning needs an owner branch and a place in the graph, and holding events would hide a feed
 * problem. The source re-sends them once the enterprise has been ingested; idempotency on externalId makes
 * re-sending safe.
 */
import { randomUUID } from 'node:crypto'
import type { Db, Executor } from '../db/database.js'
import type { Notifier } from '../db/notify.js'
import { createAjv } from '../http/ajv.js'
import { checkRows } from '../enterprises/batch.js'
import { checkEventRows } from '../enterprises/event-rows.js'
import type { CompiledRuleSet } from '../rules/compile.js'
import { RISK_EVENT_BY_CODE, type WarningLevel } from '../rules/event-types.js'
import type { Actor } from '../shared/roles.js'
import { applyEffect, effectOf, MERGE_WINDOW_MS, type ActiveWarning, type EventEffect } from './escalation.js'
import { classify, levelFacts, levelRank, type RiskEventInput } from './levels.js'
import { propagate, type PropagatedWarning } from './propagation.js'
import * as repo from './warnings.repository.js'
import { RiskEventRowSchema } from './warnings.schemas.js'
import type { CreditGraph } from '../graph/graph.js'

export const WARNINGS_CHANNEL = 'credit_engine_warnings'
/** Clock skew tolerated on occurredAt before an event counts as "in the future". */

const validateRow = createAjv({ coerce: false }).compile(RiskEventRowSchema)

export interface IngestDeps {
  levels: () => CompiledRuleSet
  propagation: () => CompiledRuleSet
  graph: () => Promise<CreditGraph>
  notifier: Notifier
}

export interface IngestResult {
  accepted: number
  rejected: { index: number; errors: { pointer: string; message: string }[] }[]
  duplicates: number
  warnings: { created: number; escalated: number; attached: number; merged: number; propagated: number }
}

interface Fresh { id: string; row: RiskEventInput; at: number; level: WarningLevel | null; index: number }

const monthsBack = (t: number, months: number) => { const d = new Date(t); d.setUTCMonth(d.getUTCMonth() - months); return d.getTime() }
const iso = (t: number) => new Date(t).toISOString()

export async function ingestEvents(db: Db, deps: IngestDeps, raw: unknown[], actor: Actor): Promise<IngestResult> {
  const check = checkRows<RiskEventInput>('events', raw, validateRow, (r) => r.externalId)
  await checkEventRows(db, check, (t) => RISK_EVENT_BY_CODE.has(t), 'event type')
  const valid = check.valid()
  const counts = { created: 0, escalated: 0, attached: 0, merged: 0, propagated: 0 }
  if (valid.length === 0) return { ...check.result(), duplicates: 0, warnings: counts }

  const levels = deps.levels()
  const propagation = deps.propagation()
  const graph = await deps.graph()
  const duplicates = await db.transaction().execute(async (trx) => {
    const fresh = await storeAndClassify(trx, levels, valid)
    await applyWarnings(trx, deps, graph, propagation, fresh, actor, counts)
    return valid.length - fresh.length
  })
  return { ...check.result(), duplicates, warnings: counts }
}

/** Classifies the rows (occurrences12m from stored and batch events) and stores them; returns the newly stored. */
async function storeAndClassify(trx: Executor, levels: CompiledRuleSet, valid: { index: number; row: RiskEventInput }[]): Promise<Fresh[]> {
  const times = valid.map((v) => Date.parse(v.row.occurredAt))
  const since = monthsBack(Math.min(...times), 12)
  const stored = await repo.eventTimes(trx, valid.map((v) => v.row.uscc), valid.map((v) => v.row.type), new Date(since))
  const batch = new Map<string, number[]>()
  valid.forEach((v, i) => {
    const k = `${v.row.uscc}|${v.row.type}`
    const list = batch.get(k) ?? []
    list.push(times[i]!)
    batch.set(k, list)
  })
  const records: repo.RiskEventRecord[] = []
  const fresh: Fresh[] = []
  valid.forEach((v, i) => {
    const at = times[i]!
    const from = monthsBack(at, 12)
    const key = `${v.row.uscc}|${v.row.type}`
    const inWindow = (t: number) => t > from && t <= at
    const occurrences = (stored.get(key) ?? []).filter(inWindow).length + (batch.get(key) ?? []).filter(inWindow).length
    const { level, reasons } = classify(levels, levelFacts(v.row, occurrences))
    const id = randomUUID()
    records.push({
      id, externalId: v.row.externalId, uscc: v.row.uscc, type: v.row.type, severity: v.row.severity ?? null, amount: v.row.amount ?? null,
      occurredAt: iso(at), source: v.row.source, payload: v.row.payload ?? null, level, reasons, ruleVersion: levels.version,
    })
    fresh.push({ id, row: v.row, at, level, index: v.index })
  })
  const inserted = await repo.insertEvents(trx, records)
  return fresh.filter((f) => inserted.has(f.row.externalId))
}

interface Changes {
  inserts: repo.NewWarning[]
  updates: repo.WarningUpdate[]
  links: repo.WarningEventLink[]
  history: repo.HistoryEntry[]
  audit: { actor: string; action: string; target: string; diff: unknown }[]
  /** Warnings that reached HIGH in this batch: id → uscc. */
  reachedHigh: Map<string, { uscc: string; level: string; kind: string; eventType: string }>
}

async function applyWarnings(
  trx: Executor, deps: IngestDeps, graph: CreditGraph, propagation: CompiledRuleSet, fresh: Fresh[], actor: Actor,
  counts: IngestResult['warnings'],
): Promise<void> {
  const leveled = fresh.filter((f) => f.level !== null).sort((a, b) => a.at - b.at || a.index - b.index)
  if (leveled.length === 0) return
  const bySource = new Map<string, Fresh[]>()
  for (const f of leveled) {
    const list = bySource.get(f.row.uscc) ?? []
    list.push(f)
    bySource.set(f.row.uscc, list)
  }

  // The level a source propagates with, if its warning is created or escalated, is the batch's highest event level.
  const planned = new Map<string, PropagatedWarning[]>()
  for (const [uscc, events] of bySource) {
    const top = events.reduce((m, e) => (levelRank(e.level) > levelRank(m) ? e.level! : m), events[0]!.level!)
    planned.set(uscc, propagate(graph, propagation, uscc, top))
  }
  const targets = [...planned.values()].flat().map((p) => p.uscc)
  await repo.lockEnterprises(trx, [...bySource.keys(), ...targets])

  const activeRows = await repo.lockActiveDirect(trx, [...bySource.keys()])
  const minAt = Math.min(...leveled.map((e) => e.at))
  const recent = await repo.recentWarningEvents(trx, activeRows.map((r) => r.id), new Date(minAt - MERGE_WINDOW_MS))
  const recentBy = new Map<string, { type: string; at: number }[]>()
  for (const x of recent) {
    const list = recentBy.get(x.warning_id) ?? []
    list.push({ type: x.type, at: new Date(x.occurred_at).getTime() })
    recentBy.set(x.warning_id, list)
  }
  const active = new Map<string, { state: ActiveWarning; version: number; status: string }>()
  for (const r of activeRows) {
    active.set(r.uscc, {
      version: r.version, status: r.status,
      state: {
        id: r.id, level: r.level as WarningLevel, eventType: r.event_type, eventCount: r.event_count, mergedCount: r.merged_count,
        firstEventAt: new Date(r.first_event_at).getTime(), lastEventAt: new Date(r.last_event_at).getTime(),
        recent: recentBy.get(r.id) ?? [],
      },
    })
  }
  const owners = await repo.ownership(trx, [...bySource.keys(), ...targets])
  const ch: Changes = { inserts: [], updates: [], links: [], history: [], audit: [], reachedHigh: new Map() }
  const sourceWarnings: Source[] = []

  for (const [uscc, events] of bySource) {
    const before = active.get(uscc) ?? null
    let state = before?.state ?? null
    let version = before?.version ?? 0
    let escalatingEvent: Fresh | null = null
    for (const ev of events) {
      const effect: EventEffect = effectOf(state, { type: ev.row.type, level: ev.level!, at: ev.at })
      const fromLevel = state?.level ?? null
      state = applyEffect(state, { type: ev.row.type, level: ev.level!, at: ev.at }, effect, randomUUID)
      if (effect !== 'merged') version++
      counts[effect]++
      ch.links.push({ warningId: state.id, eventId: ev.id, role: effect, level: ev.level })
      ch.audit.push({ actor: actor.keyId, action: `warning.${effect === 'created' ? 'create' : effect === 'escalated' ? 'escalate' : effect === 'attached' ? 'attach' : 'merge'}`, target: `warning:${state.id}`, diff: { event: ev.row.externalId, type: ev.row.type, level: ev.level, fromLevel, toLevel: state.level, version } })
      if (effect === 'created' || effect === 'escalated') {
        escalatingEvent = ev
        const status = before?.status ?? 'OPEN'
        ch.history.push({ warningId: state.id, action: effect === 'created' ? 'create' : 'escalate', fromStatus: effect === 'created' ? null : status, toStatus: status, fromLevel, toLevel: state.level, version, actor: actor.keyId, comment: `${ev.row.type} (${ev.row.externalId})` })
      }
    }
    if (!state) continue
    const owner = owners.get(uscc)
    if (!before) {
      ch.inserts.push({
        id: state.id, uscc, level: state.level, branchId: owner?.branchId ?? null, eventType: state.eventType, sourceEventId: events[0]!.id,
        propagatedFromUscc: null, propagatedFromWarningId: null, dimension: null, path: null, reasons: reasonsOf(events),
        eventCount: state.eventCount, mergedCount: state.mergedCount, firstEventAt: iso(state.firstEventAt), lastEventAt: iso(state.lastEventAt), version,
      })
    } else {
      ch.updates.push({
        id: state.id, level: state.level, eventType: state.eventType, eventCount: state.eventCount, mergedCount: state.mergedCount,
        firstEventAt: iso(state.firstEventAt), lastEventAt: iso(state.lastEventAt), version,
      })
    }
    if (escalatingEvent && state.level === 'HIGH' && levelRank(before?.state.level) < levelRank('HIGH')) {
      ch.reachedHigh.set(state.id, { uscc, level: 'HIGH', kind: 'direct', eventType: state.eventType })
    }
    if (escalatingEvent && levelRank(state.level) > levelRank(before?.state.level)) {
      sourceWarnings.push({ uscc, warningId: state.id, eventId: escalatingEvent.id, eventType: escalatingEvent.row.type, at: escalatingEvent.at })
    }
  }

  await propagateAll(trx, planned, sourceWarnings, owners, ch, actor, counts)
  await repo.insertWarnings(trx, ch.inserts)
  await repo.updateWarnings(trx, ch.updates)
  await repo.linkEvents(trx, ch.links)
  await repo.appendHistory(trx, ch.history)
  await repo.appendAuditRows(trx, ch.audit)
  const outbox: repo.OutboxEntry[] = []
  for (const [warningId, w] of ch.reachedHigh) {
    const owner = owners.get(w.uscc)
    if (!owner?.isCustomer) continue
    outbox.push({ warningId, uscc: w.uscc, branchId: owner.branchId, level: w.level, kind: 'HIGH_WARNING', payload: { kind: w.kind, eventType: w.eventType } })
  }
  await repo.appendOutbox(trx, outbox)
  if (outbox.length > 0) await deps.notifier.publish(trx, WARNINGS_CHANNEL, String(outbox.length))
}

interface Source { uscc: string; warningId: string; eventId: string; eventType: string; at: number }

function reasonsOf(events: Fresh[]): string[] {
  return [...new Set(events.map((e) => e.row.type))]
}

async function propagateAll(
  trx: Executor, planned: Map<string, PropagatedWarning[]>, sources: Source[],
  owners: Map<string, repo.Ownership>, ch: Changes, actor: Actor, counts: IngestResult['warnings'],
): Promise<void> {
  const pairs = sources.flatMap((s) => (planned.get(s.uscc) ?? []).filter((p) => owners.has(p.uscc)).map((p) => ({ s, p })))
  if (pairs.length === 0) return
  const existing = await repo.lockActivePropagated(trx, pairs.map(({ s, p }) => ({ uscc: p.uscc, from: s.uscc })))
  const byPair = new Map(existing.map((r) => [`${r.uscc}|${r.propagated_from_uscc}`, r]))
  for (const { s, p } of pairs) {
    const at = iso(s.at)
    const known = byPair.get(`${p.uscc}|${s.uscc}`)
    const reasons = p.reasons
    if (!known) {
      const id = randomUUID()
      ch.inserts.push({
        id, uscc: p.uscc, level: p.level, branchId: owners.get(p.uscc)?.branchId ?? null, eventType: s.eventType, sourceEventId: s.eventId,
        propagatedFromUscc: s.uscc, propagatedFromWarningId: s.warningId, dimension: p.path.dimension, path: p.path, reasons,
        eventCount: 1, mergedCount: 0, firstEventAt: at, lastEventAt: at, version: 1,
      })
      ch.links.push({ warningId: id, eventId: s.eventId, role: 'propagated', level: p.level })
      ch.history.push({ warningId: id, action: 'create', fromStatus: null, toStatus: 'OPEN', fromLevel: null, toLevel: p.level, version: 1, actor: actor.keyId, comment: `propagated from ${s.uscc} via ${p.path.dimension}` })
      ch.audit.push({ actor: actor.keyId, action: 'warning.propagate', target: `warning:${id}`, diff: { from: s.uscc, level: p.level, dimension: p.path.dimension } })
      if (p.level === 'HIGH') ch.reachedHigh.set(id, { uscc: p.uscc, level: 'HIGH', kind: 'propagated', eventType: s.eventType })
      counts.propagated++
      continue
    }
    const escalate = levelRank(p.level) > levelRank(known.level)
    const version = known.version + 1
    ch.updates.push({
      id: known.id, version, eventCount: known.event_count + 1, lastEventAt: at,
      ...(escalate ? { level: p.level, eventType: s.eventType, path: p.path, reasons } : {}),
    })
    ch.links.push({ warningId: known.id, eventId: s.eventId, role: 'propagated', level: p.level })
    ch.audit.push({ actor: actor.keyId, action: escalate ? 'warning.escalate' : 'warning.attach', target: `warning:${known.id}`, diff: { from: s.uscc, level: p.level, version } })
    if (escalate) {
      ch.history.push({ warningId: known.id, action: 'escalate', fromStatus: known.status, toStatus: known.status, fromLevel: known.level, toLevel: p.level, version, actor: actor.keyId, comment: `propagated from ${s.uscc} via ${p.path.dimension}` })
      if (p.level === 'HIGH') ch.reachedHigh.set(known.id, { uscc: p.uscc, level: 'HIGH', kind: 'propagated', eventType: s.eventType })
      counts.propagated++
    }
  }
}
