/**
 * Opportunity-event ingest: validate per row, store idempotently, map each new event to a signal and weight
 * (lead-signals), filter enterprises that may not be marketed to, grade by the marketing-response model and
 * open or raise one lead per (enterprise, signal), all writes in one transaction per batch.
 *
 * Admission runs on the enterprise's features with the application facts left null (there is no application
 * yet), so only the enterprise-level admission rules can decline; the amount-to-revenue rule cannot fire.
 */
import { randomUUID } from 'node:crypto'
import type { Db, Executor } from '../db/database.js'
import { createAjv } from '../http/ajv.js'
import { checkRows } from '../enterprises/batch.js'
import { checkEventRows } from '../enterprises/event-rows.js'
import { appendAudit } from '../audit/audit.repository.js'
import type { CompiledRuleSet } from '../rules/compile.js'
import { OPPORTUNITY_CODES } from '../rules/opportunity-types.js'
import type { Actor } from '../shared/roles.js'
import { gradeOf, gradeRank, haversineKm, productsFor, type GradeCut } from './grading.js'
import * as repo from './leads.repository.js'
import { OpportunityEventRowSchema, type OpportunityEventInput } from './leads.schemas.js'

const KNOWN_TYPES = new Set(OPPORTUNITY_CODES)
const validateRow = createAjv({ coerce: false }).compile(OpportunityEventRowSchema)

type FeatureValues = Record<string, number | boolean | string | null>

export interface LeadIngestDeps {
  signals: () => CompiledRuleSet
  admission: () => CompiledRuleSet
  features: (usccs: string[]) => Promise<Map<string, { values: FeatureValues }>>
  /** Response probability per enterprise and the grade cut-offs of the model version that scored it. */
  score: (rows: { uscc: string; features: FeatureValues }[]) => Promise<Map<string, { pd: number; cuts: GradeCut[] }>>
  radiusKm: number
}

export interface LeadIngestResult {
  accepted: number
  rejected: { index: number; errors: { pointer: string; message: string }[] }[]
  duplicates: number
  filtered: { admission: number; blacklisted: number; highWarning: number }
  leads: { created: number; updated: number }
}

interface Signalled { id: string; row: OpportunityEventInput; signal: string; weight: number }

/** The heaviest signal an event maps to, or null when no lead-signals rule fires. */
export function signalOf(set: CompiledRuleSet, row: { type: string; amount?: number | null | undefined }): { signal: string; weight: number } | null {
  const ev = set.evaluate({ opportunityType: row.type, amount: row.amount ?? null })
  const signals = (ev.decision as { signals?: Record<string, number> }).signals ?? {}
  let best: { signal: string; weight: number } | null = null
  for (const [signal, weight] of Object.entries(signals)) if (!best || weight > best.weight) best = { signal, weight }
  return best
}

/** Why an enterprise may not be marketed to, or null. */
export function filterReason(admission: CompiledRuleSet, values: FeatureValues): keyof LeadIngestResult['filtered'] | null {
  if (values.blacklisted === true) return 'blacklisted'
  if (typeof values.openHighWarnings === 'number' && values.openHighWarnings > 0) return 'highWarning'
  const facts: FeatureValues = { requestedAmount: null, requestedTermMonths: null, amountToRevenueRatio: null, productCode: null, applications30dSameUscc: 0, applications24hSameLegalRep: 0, ...values }
  for (const f of admission.facts) if (!(f in facts)) facts[f] = null
  return admission.evaluate(facts).outcome === 'DECLINE' ? 'admission' : null
}

export async function ingestOpportunities(db: Db, deps: LeadIngestDeps, raw: unknown[], actor: Actor): Promise<LeadIngestResult> {
  const check = checkRows<OpportunityEventInput>('events', raw, validateRow, (r) => r.externalId)
  await checkEventRows(db, check, (t) => KNOWN_TYPES.has(t), 'opportunity type')
  const valid = check.valid()
  const filtered = { admission: 0, blacklisted: 0, highWarning: 0 }
  const leads = { created: 0, updated: 0 }
  if (valid.length === 0) return { ...check.result(), duplicates: 0, filtered, leads }

  // Everything read before the transaction: features, filters, scores and placements of the batch's enterprises.
  const signals = deps.signals()
  const admission = deps.admission()
  const usccs = [...new Set(valid.map((v) => v.row.uscc))]
  const features = await deps.features(usccs)
  const reasons = new Map<string, keyof typeof filtered | null>()
  for (const u of usccs) reasons.set(u, filterReason(admission, features.get(u)?.values ?? {}))
  const eligible = usccs.filter((u) => reasons.get(u) === null)
  const scores = eligible.length > 0 ? await deps.score(eligible.map((u) => ({ uscc: u, features: features.get(u)!.values }))) : new Map()
  const places = await repo.placements(db, eligible)
  const branches = eligible.length > 0 ? await repo.branchLocations(db) : []

  const duplicates = await db.transaction().execute(async (trx) => {
    const records = valid.map((v) => ({
      id: randomUUID(), externalId: v.row.externalId, uscc: v.row.uscc, type: v.row.type, amount: v.row.amount ?? null,
      occurredAt: new Date(v.row.occurredAt).toISOString(), source: v.row.source, payload: v.row.payload ?? null, row: v.row,
    }))
    const inserted = await repo.insertEvents(trx, records)
    const fresh = records.filter((r) => inserted.has(r.externalId))
    const groups = new Map<string, Signalled[]>()
    for (const r of fresh) {
      const reason = reasons.get(r.uscc)
      if (reason) { filtered[reason]++; continue }
      const s = signalOf(signals, r.row)
      if (!s) continue
      const k = `${r.uscc}|${s.signal}`
      groups.set(k, [...(groups.get(k) ?? []), { id: r.id, row: r.row, ...s }])
    }
    for (const [k, events] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const [uscc, signal] = k.split('|') as [string, string]
      const scored = scores.get(uscc)
      if (!scored) continue
      const weight = Math.max(...events.map((e) => e.weight))
      const outcome = await openOrRaise(trx, { uscc, signal, weight, pd: scored.pd, cuts: scored.cuts, events, actor, place: assign(places.get(uscc), branches, deps.radiusKm) })
      leads[outcome]++
    }
    return valid.length - fresh.length
  })
  return { ...check.result(), duplicates, filtered, leads }
}

/** Customer → its branch and relationship manager; prospect → its region's branch, else the nearest within radiusKm, else head office. */
export function assign(p: repo.Placement | undefined, branches: { id: string; lat: number; lng: number }[], radiusKm: number): { branchId: string | null; ownerId: string | null } {
  if (!p) return { branchId: null, ownerId: null }
  if (p.customerBranchId) return { branchId: p.customerBranchId, ownerId: p.managerId }
  if (p.regionBranchId) return { branchId: p.regionBranchId, ownerId: null }
  if (p.lat === null || p.lng === null) return { branchId: null, ownerId: null }
  let best: { id: string; d: number } | null = null
  for (const b of branches) {
    const d = haversineKm(p.lat, p.lng, b.lat, b.lng)
    if (d <= radiusKm && (!best || d < best.d)) best = { id: b.id, d }
  }
  return { branchId: best?.id ?? null, ownerId: null }
}

async function openOrRaise(trx: Executor, x: {
  uscc: string; signal: string; weight: number; pd: number; cuts: GradeCut[]; events: Signalled[]; actor: Actor; place: { branchId: string | null; ownerId: string | null }
}): Promise<'created' | 'updated'> {
  const grade = gradeOf(x.pd * x.weight, x.cuts)
  const note = x.events.map((e) => `${e.row.type} (${e.row.externalId})`).join(', ')
  let open = await repo.lockOpenLead(trx, x.uscc, x.signal)
  if (!open) {
    const id = randomUUID()
    if (await repo.insertLead(trx, { id, uscc: x.uscc, signal: x.signal, grade, responseScore: x.pd, weight: x.weight, products: productsFor(x.signal), ...x.place })) {
      await repo.linkEvents(trx, id, x.events.map((e) => e.id))
      await repo.appendHistory(trx, { leadId: id, from: null, to: 'UNCLAIMED', actor: x.actor.keyId, note })
      await appendAudit(trx, { actor: x.actor.keyId, action: 'lead.create', target: `lead:${id}`, diff: { uscc: x.uscc, signal: x.signal, grade, branchId: x.place.branchId, events: x.events.map((e) => e.row.externalId) } })
      return 'created'
    }
    // Another ingest opened it since we looked: attach to theirs.
    open = await repo.lockOpenLead(trx, x.uscc, x.signal)
    if (!open) throw new Error(`open lead for ${x.uscc}/${x.signal} vanished`)
  }
  await repo.linkEvents(trx, open.id, x.events.map((e) => e.id))
  const before = Number(open.response_score) * Number(open.weight)
  if (x.pd * x.weight > before) {
    const raised = gradeRank(grade) < gradeRank(open.grade) ? grade : open.grade
    await repo.raiseLead(trx, open.id, { grade: raised, responseScore: x.pd, weight: x.weight, version: open.version + 1 })
    await appendAudit(trx, { actor: x.actor.keyId, action: 'lead.raise', target: `lead:${open.id}`, diff: { fromGrade: open.grade, toGrade: raised, events: x.events.map((e) => e.row.externalId) } })
  } else {
    await repo.touchLead(trx, open.id)
    await appendAudit(trx, { actor: x.actor.keyId, action: 'lead.attach', target: `lead:${open.id}`, diff: { events: x.events.map((e) => e.row.externalId) } })
  }
  return 'updated'
}
