import type { Db } from '../db/database.js'
import type { ReferenceChange } from '../enterprises/enterprises.service.js'
import type { EnterpriseRow } from '../enterprises/enterprises.types.js'
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../shared/errors.js'
import { createGraphBuilder } from './graph-builder.js'
import { computeGraphFeatures, featureRow, type GraphFeatureRow, type GraphFeatures } from './graph-features.js'
import { applyEnterprise, applyRelation } from './graph-incremental.js'
import { prepareRisk, type RiskState } from './risk-state.js'
import type { CreditGraph } from './graph.js'
import { neighbourhood, shortestPathsToCustomers } from './graph-views.js'
import type { RelationType } from '../enterprises/enterprises.types.js'
import * as repo from './graph.repository.js'

const PAGE = 50_000
export type Progress = (phase: string, done: number, total: number) => void

interface Loaded {
  graph: CreditGraph
  features: GraphFeatures
  risk: RiskState
  snapshotId: string
  customers: Set<string>
}

/**
 * The relation graph in memory: a full recompute loads it from the database, computes every enterprise's graph
 * features into feature_rows under a new snapshot; ingest changes then update the affected neighbourhood
 * (≤ 2 hops) in place and rewrite only those rows.
 */
export function createGraphService(db: Db, options: { log?: { warn(obj: unknown, msg?: string): void }; now?: () => Date } = {}) {
  let loaded: Loaded | null = null
  let running: Promise<unknown> | null = null
  // Changes that arrive while a recompute runs are replayed on its result, so none is lost.
  let queued: ReferenceChange[] = []
  const now = options.now ?? (() => new Date())

  async function writeRows(snapshotId: string, rows: Iterable<[string, GraphFeatureRow]>): Promise<number> {
    const batch: { uscc: string; values: Record<string, number> }[] = []
    let n = 0
    for (const [uscc, values] of rows) {
      batch.push({ uscc, values })
      if (batch.length >= 5_000) { await repo.upsertFeatureRows(db, snapshotId, batch.splice(0)); }
      n++
    }
    if (batch.length > 0) await repo.upsertFeatureRows(db, snapshotId, batch)
    return n
  }

  async function load(progress: Progress): Promise<{ graph: CreditGraph; risky: Set<string>; customers: Set<string> }> {
    const counts = await repo.countRows(db)
    const builder = createGraphBuilder({ asOf: now().toISOString().slice(0, 10) })
    const risky = new Set<string>()
    const customers = new Set<string>()
    let after: string | null = null
    let done = 0
    for (;;) {
      const rows = await repo.pagePersons(db, after, PAGE)
      if (rows.length === 0) break
      builder.addPersons(rows)
      after = rows[rows.length - 1]!.id
      progress('persons', (done += rows.length), counts.persons)
    }
    after = null
    done = 0
    for (;;) {
      const rows = await repo.pageGraphEnterprises(db, after, PAGE)
      if (rows.length === 0) break
      builder.addEnterprises(rows as unknown as EnterpriseRow[])
      for (const r of rows) {
        if (r.isDefaulted) risky.add(r.uscc)
        if (r.isCustomer) customers.add(r.uscc)
      }
      after = rows[rows.length - 1]!.uscc
      progress('enterprises', (done += rows.length), counts.enterprises)
    }
    after = null
    done = 0
    for (;;) {
      const rows = await repo.pageRelations(db, after, PAGE)
      if (rows.length === 0) break
      builder.addRelations(rows)
      after = rows[rows.length - 1]!.id
      progress('relations', (done += rows.length), counts.relations)
    }
    return { graph: builder.build(), risky, customers }
  }

  async function recomputeNow(progress: Progress): Promise<{ snapshotId: string; enterprises: number; nodes: number; edges: number; millis: number }> {
    const started = Date.now()
    const snapshotId = await repo.createSnapshot(db)
    try {
      const { graph, risky, customers } = await load(progress)
      const risk = prepareRisk(graph, { risky, now: now().getTime() })
      const features = computeGraphFeatures(graph, risk)
      progress('features', 0, features.usccs.length)
      const rows = features.usccs.map((u, i) => [u, featureRow(features, i)] as [string, GraphFeatureRow])
      const written = await writeRows(snapshotId, rows)
      progress('features', written, features.usccs.length)
      const stats = { ...features.stats, risky: risky.size, customers: customers.size }
      await repo.finishSnapshot(db, snapshotId, 'done', { nodes: graph.nodeCount, edges: graph.edgeCount, stats })
      loaded = { graph, features, risk, snapshotId, customers }
      return { snapshotId, enterprises: written, nodes: graph.nodeCount, edges: graph.edgeCount, millis: Date.now() - started }
    } catch (err) {
      await repo.finishSnapshot(db, snapshotId, 'failed', { nodes: 0, edges: 0, stats: { error: String(err) } })
      throw err
    }
  }

  async function applyNow(change: ReferenceChange): Promise<string[]> {
    if (!loaded) return []
    const { graph, risk, features, snapshotId } = loaded
    const rows = new Map<string, GraphFeatureRow>()
    if (change.enterprises?.length) {
      const full = await db.selectFrom('enterprises').selectAll().where('uscc', 'in', change.enterprises).execute()
      for (const e of full) {
        const result = applyEnterprise(graph, {
          uscc: e.uscc, registeredCapital: e.registered_capital, blacklisted: e.blacklisted, phoneHash: e.phone_hash,
          addressHash: e.address_hash, legalRepPersonId: e.legal_rep_person_id,
        } as EnterpriseRow, risk, features)
        for (const [u, r] of result.rows) rows.set(u, r)
        if (e.customer_branch_id) loaded.customers.add(e.uscc)
        else loaded.customers.delete(e.uscc)
      }
    }
    for (const rel of change.relations ?? []) {
      const result = applyRelation(graph, rel, risk, features)
      for (const [u, r] of result.rows) rows.set(u, r)
    }
    await writeRows(snapshotId, rows)
    return [...rows.keys()]
  }

  const service = {
    isRunning: () => running !== null,

    /** Full recompute; a second call while one runs is a 409. */
    async recompute(progress: Progress = () => {}) {
      if (running) throw new ConflictError('A graph recompute is already running', 'recompute_running')
      const job = recomputeNow(progress)
      running = job
      try {
        const result = await job
        const pending = queued
        queued = []
        for (const change of pending) await applyNow(change)
        return result
      } finally {
        running = null
      }
    },

    /** Keeps graph features current after an ingest: the changed neighbourhood only. */
    async apply(change: ReferenceChange): Promise<string[]> {
      if (running) { queued.push(change); return [] }
      return applyNow(change)
    },

    /** Loads the graph from the latest data when this node has none yet (views need it). */
    async ensureLoaded(): Promise<Loaded> {
      if (!loaded) {
        if (running) throw new ServiceUnavailableError('The relation graph is being computed; retry shortly', 5, 'graph_loading')
        await service.recompute()
      }
      return loaded!
    },

    async neighbourhood(uscc: string, depth: number, types: readonly RelationType[] | undefined, maxNodes: number) {
      const { graph } = await service.ensureLoaded()
      const view = neighbourhood(graph, uscc, { depth, types, maxNodes })
      if (!view) throw new NotFoundError(`Enterprise ${uscc} is not in the relation graph`)
      return { uscc, depth, ...view }
    },

    async pathsToCustomers(uscc: string, maxHops: number, k = 10) {
      const l = await service.ensureLoaded()
      const ids = l.graph.ids
      const paths = shortestPathsToCustomers(l.graph, uscc, { maxHops, k, isCustomer: (v) => l.customers.has(ids[v]!) })
      if (!paths) throw new NotFoundError(`Enterprise ${uscc} is not in the relation graph`)
      return { uscc, maxHops, paths }
    },

    snapshotId: () => loaded?.snapshotId ?? null,
    latestSnapshot: () => repo.latestSnapshot(db),
  }
  return service
}

export type GraphService = ReturnType<typeof createGraphService>
