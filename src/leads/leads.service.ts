import type { Db } from '../db/database.js'
import { appendAudit } from '../audit/audit.repository.js'
import type { FeaturesService } from '../features/features.service.js'
import type { GraphService } from '../graph/graph.service.js'
import type { ModelsService } from '../models/models.service.js'
import type { Logger, RulesService } from '../rules/rules.service.js'
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../shared/errors.js'
import { decodeTimeIdCursor, encodeCursor } from '../shared/cursor.js'
import type { Actor } from '../shared/roles.js'
import { boundingBox, gradeCutsOf, gradeOf, gradeRank, haversineKm, type GradeCut } from './grading.js'
import { ingestOpportunities, type LeadIngestDeps } from './ingest.js'
import * as repo from './leads.repository.js'
import type { LeadListQuery, LeadTransitionBody } from './leads.schemas.js'
import { LEAD_STATUSES, allowedNext, applyLeadTransition, type LeadStatus } from './workflow.js'

export const RESPONSE_MODEL = 'marketing-response'
/** Prospects scored at most per nearby-prospects request (the bounding box is cut here). */
const NEARBY_CAP = 2_000

export interface LeadsDeps {
  rules: Pick<RulesService, 'current'>
  features: Pick<FeaturesService, 'forEnterprises'>
  models: Pick<ModelsService, 'scoreBatch'>
  graph: Pick<GraphService, 'pathsToCustomers'>
  log: Logger
  radiusKm: number
}

type FeatureValues = Record<string, number | boolean | string | null>

/** A branch key sees only its branch's leads (head-office leads included out); everyone else admitted sees all. */
export const canSee = (actor: Actor, branchId: string | null) => actor.role !== 'branch' || (actor.branchId !== null && actor.branchId === branchId)
const scopeOf = (actor: Actor) => (actor.role === 'branch' ? actor.branchId : undefined)

const ruleSet = (rules: LeadsDeps['rules'], id: string) => {
  try {
    return rules.current(id)
  } catch (err) {
    if (err instanceof NotFoundError) throw new ServiceUnavailableError(`Rule set ${id} has no active version`, 30, 'rule_set_unavailable')
    throw err
  }
}

export function toLead(r: repo.LeadRow) {
  return {
    id: r.id, uscc: r.uscc, signal: r.signal as never, grade: r.grade as never, score: round6(Number(r.response_score) * Number(r.weight)),
    status: r.status as LeadStatus, branchId: r.branch_id, ownerId: r.owner_id,
  }
}
const round6 = (v: number) => Math.round(v * 1e6) / 1e6
const iso = (d: Date | string) => new Date(d).toISOString()

export function createLeadsService(db: Db, deps: LeadsDeps) {
  const cutsByVersion = new Map<string, GradeCut[]>()
  async function cutsOf(version: string): Promise<GradeCut[]> {
    let cuts = cutsByVersion.get(version)
    if (!cuts) {
      const found = gradeCutsOf(await repo.modelManifest(db, RESPONSE_MODEL, version))
      if (!found) throw new ServiceUnavailableError(`Model ${RESPONSE_MODEL}@${version} has no responseGrades in its manifest`, 30, 'model_unavailable')
      cutsByVersion.set(version, (cuts = found))
    }
    return cuts
  }

  /** Response probability and grade cut-offs per enterprise, from the served marketing-response model. */
  async function score(rows: { uscc: string; features: FeatureValues }[]) {
    let batch
    try {
      batch = await deps.models.scoreBatch(RESPONSE_MODEL, rows.map((r) => ({ uscc: r.uscc, features: r.features })))
    } catch (err) {
      if (err instanceof NotFoundError) throw new ServiceUnavailableError(`Model ${RESPONSE_MODEL} is not being served`, 30, 'model_unavailable')
      throw err
    }
    const out = new Map<string, { pd: number; cuts: GradeCut[] }>()
    for (const item of batch.items) out.set(rows[item.index]!.uscc, { pd: item.pd, cuts: await cutsOf(item.version) })
    if (batch.rejected.length > 0) deps.log.warn({ rejected: batch.rejected.length }, 'marketing-response refused some enterprises')
    return out
  }

  const features = async (usccs: string[]) => deps.features.forEnterprises(usccs) as Promise<Map<string, { values: FeatureValues }>>
  const ingestDeps: LeadIngestDeps = {
    signals: () => ruleSet(deps.rules, 'lead-signals'), admission: () => ruleSet(deps.rules, 'admission'), features, score, radiusKm: deps.radiusKm,
  }

  async function visibleLead(id: string, actor: Actor) {
    const row = await repo.findLead(db, id)
    if (!row || !canSee(actor, row.branch_id)) throw new NotFoundError(`Lead ${id} was not found`)
    return row
  }

  async function getLead(id: string, actor: Actor) {
    const row = await visibleLead(id, actor)
    const [events, history] = await Promise.all([repo.eventsOfLead(db, id), repo.historyOf(db, id)])
    return {
      ...toLead(row), responseScore: Number(row.response_score), weight: Number(row.weight), products: row.products, version: row.version,
      allowedNext: allowedNext(row.status as LeadStatus), createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
      events: events.map((e) => ({ id: e.id, externalId: e.external_id, type: e.type, amount: e.amount === null ? null : Number(e.amount), occurredAt: iso(e.occurred_at), source: e.source, payload: e.payload ?? null })),
      history: history.map((h) => ({ fromStatus: h.from_status, toStatus: h.to_status, actor: h.actor, note: h.note, at: iso(h.at) })),
    }
  }

  return {
    ingest: (raw: unknown[], actor: Actor) => ingestOpportunities(db, ingestDeps, raw, actor),

    async list(query: LeadListQuery, actor: Actor) {
      const limit = query.limit ?? 50
      const after = query.cursor ? decodeTimeIdCursor(query.cursor) : undefined
      const { cursor: _c, limit: _l, ...filters } = query
      const scope = scopeOf(actor)
      const rows = await repo.listLeads(db, { ...filters, limit, ...(after ? { after } : {}), ...(scope !== undefined ? { scopeBranch: scope } : {}) })
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      return { items: page.map(toLead), nextCursor: rows.length > limit && last ? encodeCursor([last.created_us, last.id]) : null }
    },

    get: getLead,

    /** UNCLAIMED → FOLLOWING by a conditional update: of concurrent claims exactly one wins, the others get 409. */
    async claim(id: string, actor: Actor) {
      await db.transaction().execute(async (trx) => {
        const row = await repo.findLead(trx, id, true)
        if (!row || !canSee(actor, row.branch_id)) throw new NotFoundError(`Lead ${id} was not found`)
        applyLeadTransition(row.status as LeadStatus, 'FOLLOWING', null)
        const claimed = await repo.claimLead(trx, id, actor.keyId)
        if (!claimed) throw new ConflictError(`Lead ${id} was claimed by someone else`, 'invalid_transition', { currentStatus: 'FOLLOWING' })
        await repo.appendHistory(trx, { leadId: id, from: row.status, to: 'FOLLOWING', actor: actor.keyId, note: null })
        await appendAudit(trx, { actor: actor.keyId, action: 'lead.claim', target: `lead:${id}`, diff: { from: row.status, to: 'FOLLOWING', previousOwner: row.owner_id } })
      })
      return getLead(id, actor)
    },

    async transition(id: string, body: LeadTransitionBody, actor: Actor) {
      const note = body.note?.trim() ? body.note.trim() : null
      await db.transaction().execute(async (trx) => {
        const row = await repo.findLead(trx, id, true)
        if (!row || !canSee(actor, row.branch_id)) throw new NotFoundError(`Lead ${id} was not found`)
        const to = applyLeadTransition(row.status as LeadStatus, body.to, note)
        await repo.setStatus(trx, id, to, row.version + 1)
        await repo.appendHistory(trx, { leadId: id, from: row.status, to, actor: actor.keyId, note })
        await appendAudit(trx, { actor: actor.keyId, action: `lead.${to.toLowerCase()}`, target: `lead:${id}`, diff: { from: row.status, to, note } })
      })
      return getLead(id, actor)
    },

    async reachPaths(id: string, actor: Actor) {
      const row = await visibleLead(id, actor)
      try {
        return await deps.graph.pathsToCustomers(row.uscc, 3)
      } catch (err) {
        if (err instanceof NotFoundError) return { uscc: row.uscc, maxHops: 3, paths: [] }
        throw err
      }
    },

    /** Prospects within radiusKm of the branch (bounding box in SQL, then haversine), ranked by response probability. */
    async nearbyProspects(branchId: string, q: { radiusKm?: number; minGrade?: string; limit?: number }, actor: Actor) {
      const branch = await repo.findBranch(db, branchId)
      if (!branch || !canSee(actor, branch.id)) throw new NotFoundError(`Branch ${branchId} was not found`)
      const radiusKm = q.radiusKm ?? 5
      const lat = Number(branch.lat)
      const lng = Number(branch.lng)
      const boxed = await repo.prospectsInBox(db, boundingBox(lat, lng, radiusKm), NEARBY_CAP)
      const inside = boxed.map((p) => ({ ...p, distanceKm: haversineKm(lat, lng, p.lat, p.lng) })).filter((p) => p.distanceKm <= radiusKm)
      const feats = inside.length > 0 ? await features(inside.map((p) => p.uscc)) : new Map()
      const scored = inside.length > 0 ? await score(inside.filter((p) => feats.has(p.uscc)).map((p) => ({ uscc: p.uscc, features: feats.get(p.uscc)!.values }))) : new Map()
      const items = inside.flatMap((p) => {
        const s = scored.get(p.uscc)
        if (!s) return []
        const grade = gradeOf(s.pd, s.cuts)
        if (q.minGrade && gradeRank(grade) > gradeRank(q.minGrade)) return []
        return [{ uscc: p.uscc, name: p.name, distanceKm: Math.round(p.distanceKm * 1000) / 1000, score: round6(s.pd), grade }]
      }).sort((a, b) => b.score - a.score || a.distanceKm - b.distanceKm || (a.uscc < b.uscc ? -1 : 1))
      return { branchId: branch.id, radiusKm, candidates: inside.length, truncated: boxed.length >= NEARBY_CAP, items: items.slice(0, q.limit ?? 50) }
    },

    /** The funnel: lead counts by branch and signal, per status. */
    async summary(actor: Actor) {
      const rows = await repo.funnel(db, scopeOf(actor))
      const byKey = new Map<string, { branchId: string | null; signal: string; total: number } & Record<LeadStatus, number>>()
      for (const r of rows) {
        const k = `${r.branch_id ?? ''}|${r.signal}`
        let e = byKey.get(k)
        if (!e) byKey.set(k, (e = { branchId: r.branch_id, signal: r.signal, total: 0, ...Object.fromEntries(LEAD_STATUSES.map((s) => [s, 0])) } as never))
        e[r.status as LeadStatus] = r.n
        e.total += r.n
      }
      return { items: [...byKey.values()] }
    },

    async overdue(days: number, limit: number, actor: Actor) {
      const rows = await repo.overdue(db, new Date(Date.now() - days * 86_400_000), scopeOf(actor), limit)
      return { items: rows.map((r) => ({ ...toLead(r), createdAt: iso(r.created_at) })) }
    },
  }
}

export type LeadsService = ReturnType<typeof createLeadsService>
