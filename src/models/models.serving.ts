/**
 * What this node serves: one scorer (onnxruntime session) per serving version, held in a map that a reload
 * replaces in one assignment. A request holds the LoadedVersion it started with; a scorer that leaves the map
 * is closed only after a grace period, so in-flight scoring on it always finishes.
 */
import type { Db } from '../db/database.js'
import type { ServingManifest, PsiBaseline } from './manifest.js'
import * as repo from './models.repository.js'
import type { ModelRole } from './models.table.js'
import { createScorer, type Scorer } from './scorer.js'
import type { Logger } from '../rules/rules.service.js'
import { oneAtATime } from '../shared/one-at-a-time.js'

/** The manifest as stored: the serving contract plus training's extras (baselines, metrics). */
export type StoredManifest = ServingManifest & {
  baseline?: { score?: PsiBaseline; pd?: PsiBaseline; features?: Record<string, PsiBaseline> }
  metrics?: unknown
}

export interface LoadedVersion {
  name: string
  version: string
  role: ModelRole
  traffic: number
  sha256: string
  manifest: StoredManifest
  scorer: Scorer
}

export interface ServedModel { name: string; champion?: LoadedVersion; challenger?: LoadedVersion; shadows: LoadedVersion[] }

const REPLAY_CACHE = 4

const versionsOf = (models: Map<string, ServedModel>): LoadedVersion[] =>
  [...models.values()].flatMap((m) => [m.champion, m.challenger, ...m.shadows]).filter((v): v is LoadedVersion => v !== undefined)
const describe = (v: LoadedVersion): string => `${v.name}@${v.version}:${v.role}:${v.traffic}`

export function createServingState(db: Db, options: { log: Logger; graceMs: number }) {
  let served = new Map<string, ServedModel>()
  let signature = ''
  /** Scorers by name@version#sha256, shared by the serving map and replays. */
  const scorers = new Map<string, Scorer>()
  const replays = new Map<string, LoadedVersion>()
  const retiring = new Map<NodeJS.Timeout, Scorer>()
  let stopped = false
  /** Reloads of the serving roles, one at a time (see shared/one-at-a-time.ts). */
  const reloads = oneAtATime(doReload)

  const keyOf = (r: { name: string; version: string; sha256: string }) => `${r.name}@${r.version}#${r.sha256}`
  const signatureOf = (rows: Awaited<ReturnType<typeof repo.servingRoles>>) => rows.map((r) => `${r.name}@${r.version}:${r.role}:${r.traffic}:${r.sha256}`).join('|')

  function retire(scorer: Scorer): void {
    if (stopped) { void scorer.close().catch(() => {}); return }
    const timer = setTimeout(() => {
      retiring.delete(timer)
      void scorer.close().catch((err) => options.log.warn({ err }, 'closing a retired model session failed'))
    }, options.graceMs)
    timer.unref()
    retiring.set(timer, scorer)
  }

  async function load(name: string, version: string): Promise<{ scorer: Scorer; manifest: StoredManifest; role: ModelRole; sha256: string } | undefined> {
    const row = await repo.loadArtifact(db, name, version)
    if (!row) return undefined
    const manifest = row.manifest as StoredManifest
    const key = keyOf({ name, version, sha256: row.sha256 })
    let scorer = scorers.get(key)
    if (!scorer) {
      // One row per request: onnxruntime's intra-op pool would only spin idle threads against the event loop
      // and the database for the same cores, so serving sessions run in the calling thread.
      scorer = await createScorer(new Uint8Array(row.artifact), manifest, { intraOpNumThreads: 1, interOpNumThreads: 1 })
      scorers.set(key, scorer)
    }
    return { scorer, manifest, role: row.role, sha256: row.sha256 }
  }

  async function doReload(force: boolean): Promise<void> {
    const rows = await repo.servingRoles(db)
    const sig = signatureOf(rows)
    if (!force && sig === signature) return
    const next = new Map<string, ServedModel>()
    const keep = new Set<string>()
    const failed = new Set<string>()
    for (const r of rows) {
      try {
        const loaded = await load(r.name, r.version)
        if (!loaded) continue
        keep.add(keyOf(r))
        const v: LoadedVersion = { name: r.name, version: r.version, role: r.role, traffic: r.traffic, sha256: r.sha256, manifest: loaded.manifest, scorer: loaded.scorer }
        const m = next.get(r.name) ?? { name: r.name, shadows: [] }
        if (r.role === 'champion') m.champion = v
        else if (r.role === 'challenger') m.challenger = v
        else m.shadows.push(v)
        next.set(r.name, m)
      } catch (err) {
        failed.add(r.name)
        options.log.error({ err, model: r.name, version: r.version }, 'a serving model version failed to load on this node; its previous versions keep serving')
      }
    }
    // A name whose new version did not load keeps what it served before, rather than serving nothing.
    for (const name of failed) {
      const previous = served.get(name)
      if (previous) {
        next.set(name, previous)
        for (const v of [previous.champion, previous.challenger, ...previous.shadows]) if (v) keep.add(keyOf(v))
      }
    }
    for (const v of replays.values()) keep.add(keyOf(v))
    const before = new Set(versionsOf(served).map(describe))
    const changed = versionsOf(next).filter((v) => !before.has(describe(v)))
    served = next
    signature = failed.size === 0 ? sig : ''
    for (const [key, scorer] of scorers) {
      if (!keep.has(key)) { scorers.delete(key); retire(scorer) }
    }
    for (const v of changed) options.log.info({ model: v.name, version: v.version, role: v.role, traffic: v.traffic }, 'model version serving on this node')
  }

  return {
    /** Re-reads the serving roles; loads only versions that are new to this node. Reloads run one at a time. */
    reload(force = false): Promise<void> {
      return reloads.run(force)
    },
    /** Whether the database's serving roles differ from what this node serves (the cheap periodic check). */
    async isStale(): Promise<boolean> {
      return signatureOf(await repo.servingRoles(db)) !== signature
    },
    get(name: string): ServedModel | undefined {
      return served.get(name)
    },
    all(): ServedModel[] {
      return [...served.values()]
    },
    /** Any stored version, for replays: serving versions come from the map, others are loaded and kept in a small cache. */
    async version(name: string, version: string): Promise<LoadedVersion | undefined> {
      const m = served.get(name)
      const active = m && [m.champion, m.challenger, ...m.shadows].find((v) => v?.version === version)
      if (active) return active
      const cached = replays.get(`${name}@${version}`)
      if (cached) return cached
      const loaded = await load(name, version)
      if (!loaded) return undefined
      const v: LoadedVersion = { name, version, role: loaded.role, traffic: 0, sha256: loaded.sha256, manifest: loaded.manifest, scorer: loaded.scorer }
      replays.set(`${name}@${version}`, v)
      if (replays.size > REPLAY_CACHE) {
        const [oldestKey, oldest] = replays.entries().next().value as [string, LoadedVersion]
        replays.delete(oldestKey)
        const key = keyOf(oldest)
        if (!versionsOf(served).some((x) => keyOf(x) === key)) {
          scorers.delete(key)
          retire(oldest.scorer)
        }
      }
      return v
    },
    async close(): Promise<void> {
      stopped = true
      await reloads.idle()
      for (const t of retiring.keys()) clearTimeout(t)
      const all = [...scorers.values(), ...retiring.values()]
      retiring.clear()
      scorers.clear()
      replays.clear()
      served = new Map()
      await Promise.all(all.map((s) => s.close().catch(() => {})))
    },
  }
}

export type ServingState = ReturnType<typeof createServingState>
