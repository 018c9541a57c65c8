import { appendAudit } from '../audit/audit.repository.js'
import type { Db } from '../db/database.js'
import type { Notifier } from '../db/notify.js'
import type { FeaturesService } from '../features/features.service.js'
import type { Logger } from '../rules/rules.service.js'
import { ConflictError, NotFoundError, UnprocessableError, ValidationError, type FieldError } from '../shared/errors.js'
import type { Actor } from '../shared/roles.js'
import { checkModel } from './contract.js'
import type { ServingManifest } from './manifest.js'
import { createMonitoring } from './models.monitoring.js'
import * as repo from './models.repository.js'
import { createScoring, type ScoreInput, type ScoreOptions } from './models.scoring.js'
import { MODELS_CHANNEL, seedShippedModels } from './models.seed.js'
import { createServingState } from './models.serving.js'

export { MODELS_CHANNEL }
const POLL_MS = 2_000
/** How long a session that stopped serving stays open for requests that started on it. */
export const DEFAULT_GRACE_MS = 30_000

export interface ModelsServiceOptions {
  notifier: Notifier
  features: FeaturesService
  log: Logger
  modelsDir: string
  graceMs?: number
  pollMs?: number
}

export interface UploadedModel { onnx: Uint8Array; manifest: Buffer | undefined; reference: Buffer | undefined }
export type PromoteRole = 'champion' | 'challenger' | 'shadow'

function parsePart(part: Buffer | undefined, file: string, failures: FieldError[]): unknown {
  if (part === undefined) return undefined
  try {
    return JSON.parse(part.toString('utf8'))
  } catch (err) {
    failures.push({ in: 'body', pointer: file, message: `${file} is not valid JSON: ${(err as Error).message}`, code: 'json' })
    return undefined
  }
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null)

function describeVersion(r: repo.ModelVersionSummary) {
  const m = r.manifest as ServingManifest & { metrics?: Record<string, unknown> }
  return {
    version: r.version, kind: r.kind, role: r.role, traffic: r.traffic, sha256: r.sha256, features: m.features?.length ?? 0,
    createdBy: r.created_by, createdAt: iso(r.created_at)!, promotedAt: iso(r.promoted_at), championSince: iso(r.champion_since),
    metrics: m.metrics ?? null,
  }
}

function describeModel(name: string, rows: repo.ModelVersionSummary[]) {
  const challenger = rows.find((r) => r.role === 'challenger')
  return {
    name, kind: rows[0]?.kind ?? 'generic',
    champion: rows.find((r) => r.role === 'champion')?.version ?? null,
    challenger: challenger ? { version: challenger.version, traffic: challenger.traffic } : null,
    shadows: rows.filter((r) => r.role === 'shadow').map((r) => r.version),
    versions: rows.map(describeVersion),
  }
}

/**
 * The model registry (DESIGN §8): versions in PostgreSQL, contract-checked on deploy; per name one champion,
 * an optional challenger with a USCC-hash traffic share and any number of shadows, served from in-memory
 * onnxruntime sessions that every node reloads on NOTIFY (or its 2 s poll).
 */
export function createModelsService(db: Db, options: ModelsServiceOptions) {
  const { notifier, log } = options
  const state = createServingState(db, { log, graceMs: options.graceMs ?? DEFAULT_GRACE_MS })
  const scoring = createScoring(db, state, { features: options.features, log })
  const monitoring = createMonitoring(db, state)
  let poller: NodeJS.Timeout | undefined

  async function poll(): Promise<void> {
    try {
      await notifier.ensureConnected()
      if (await state.isStale()) await state.reload()
    } catch (err) {
      log.warn({ err }, 'model version check failed')
    }
  }

  /** Runs a role change of one name in a transaction that locks the name's rows; announces it and reloads. */
  async function change(name: string, fn: (trx: Db, rows: repo.ModelVersionSummary[]) => Promise<string>) {
    await db.transaction().execute(async (trx) => {
      const rows = await repo.lockName(trx, name)
      if (rows.length === 0) throw new NotFoundError(`Model ${name} was not found`)
      const version = await fn(trx as unknown as Db, rows)
      await notifier.publish(trx, MODELS_CHANNEL, `${name}@${version}`)
    })
    await state.reload()
    return describeModel(name, await repo.listVersions(db, name))
  }

  return {
    async start(): Promise<void> {
      await seedShippedModels(db, notifier, options.modelsDir, log)
      await state.reload(true)
      await notifier.subscribe(MODELS_CHANNEL, () => void state.reload().catch((err) => log.error({ err }, 'model reload failed')))
      poller = setInterval(() => void poll(), options.pollMs ?? POLL_MS)
      poller.unref()
    },

    async stop(): Promise<void> {
      if (poller) clearInterval(poller)
      poller = undefined
      await scoring.close()
      await state.close()
    },

    /** Champion or challenger for this enterprise (FNV-1a of the USCC mod 10,000 < traffic·10,000 → challenger). */
    route: scoring.route,
    score: (name: string, input: ScoreInput, opts?: ScoreOptions) => scoring.score(name, input, opts),
    scoreBatch: scoring.scoreMany,
    scoreShadows: scoring.scoreShadows,
    /** Writes buffered score-log rows now (tests, shutdown). */
    flushScoreLog: scoring.flush,
    monitoring: monitoring.monitoring,
    registerGauges: monitoring.registerGauges,
    reload: () => state.reload(),

    activeVersions(): Record<string, { champion?: string; challenger?: { version: string; traffic: number }; shadows: string[] }> {
      return Object.fromEntries(state.all().map((m) => [m.name, {
        ...(m.champion ? { champion: m.champion.version } : {}),
        ...(m.challenger ? { challenger: { version: m.challenger.version, traffic: m.challenger.traffic } } : {}),
        shadows: m.shadows.map((s) => s.version),
      }]))
    },

    async list() {
      const rows = await repo.listVersions(db)
      const byName = new Map<string, repo.ModelVersionSummary[]>()
      for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r])
      return [...byName.entries()].map(([name, rs]) => ({ ...describeModel(name, rs), versions: rs.length }))
    },

    async get(name: string) {
      const rows = await repo.listVersions(db, name)
      if (rows.length === 0) throw new NotFoundError(`Model ${name} was not found`)
      return describeModel(name, rows)
    },

    /** Contract checks, then stored as staged; 422 lists every failure and nothing serving changes. */
    async deploy(name: string, upload: UploadedModel, actor: Actor) {
      const failures: FieldError[] = []
      const manifest = parsePart(upload.manifest, 'manifest.json', failures)
      const reference = parsePart(upload.reference, 'reference.json', failures)
      if (upload.manifest === undefined) failures.push({ in: 'body', pointer: 'manifest.json', message: 'the manifest part is required', code: 'manifest' })
      {
        const result = await checkModel({ onnxBytes: upload.onnx, manifest, reference })
        for (const f of result.failures) failures.push({ in: 'body', pointer: f.pointer ?? '', message: f.message, code: f.check })
        const m = manifest as Partial<ServingManifest> | undefined
        if (m && typeof m === 'object' && m.name !== undefined && m.name !== name) failures.push({ in: 'body', pointer: 'manifest.json#/name', message: `the manifest is for model '${String(m.name)}', not '${name}'`, code: 'name' })
        if (failures.length === 0) {
          const version = m!.version!
          await db.transaction().execute(async (trx) => {
            const rows = await repo.lockName(trx, name)
            const same = rows.find((r) => r.version === version)
            if (same) throw new ConflictError(`Version ${version} of ${name} already exists (${same.role}); bump the version`, 'version_exists')
            await repo.insertVersion(trx, { name, version, kind: m!.kind!, manifest, artifact: upload.onnx, reference, sha256: result.info.sha256, role: 'staged', createdBy: actor.keyId })
            await appendAudit(trx, { actor: actor.keyId, action: 'model.deploy', target: `model:${name}@${version}`, diff: { sha256: result.info.sha256, bytes: result.info.bytes } })
          })
          return { name, version, role: 'staged' as const, sha256: result.info.sha256, checks: result.info as unknown as Record<string, unknown> }
        }
      }
      const listed = failures.map((f) => ({ ...f, check: f.code }))
      throw new UnprocessableError(`The model was refused: ${failures.length} failed check(s)`, listed, 'model_rejected')
    },

    async promote(name: string, version: string, target: { role: PromoteRole; traffic?: number }, actor: Actor) {
      if (target.role === 'challenger' && !(typeof target.traffic === 'number' && target.traffic > 0 && target.traffic < 1)) {
        throw new ValidationError('A challenger needs a traffic share 0 < traffic < 1', [{ in: 'body', pointer: '/traffic', message: 'is required for a challenger: 0 < traffic < 1' }])
      }
      if (target.role !== 'challenger' && target.traffic !== undefined) {
        throw new ValidationError('traffic applies to a challenger only', [{ in: 'body', pointer: '/traffic', message: 'only a challenger takes a traffic share' }])
      }
      return change(name, async (trx, rows) => {
        const row = rows.find((r) => r.version === version)
        if (!row) throw new NotFoundError(`Model ${name} has no version ${version}`)
        const champion = rows.find((r) => r.role === 'champion')
        const now = new Date()
        if (target.role === 'champion') {
          if (row.role === 'champion') throw new ConflictError(`Version ${version} is already the champion`, 'already_champion')
          if (champion) await repo.setRole(trx, name, champion.version, { role: 'retired' })
          await repo.setRole(trx, name, version, { role: 'champion', promotedAt: now, championSince: now })
        } else {
          if (row.role === 'champion') throw new ConflictError(`Version ${version} is the champion; promote another version first`, 'is_champion')
          if (target.role === 'challenger') {
            if (!champion) throw new ConflictError(`Model ${name} has no champion to challenge`, 'no_champion')
            const current = rows.find((r) => r.role === 'challenger' && r.version !== version)
            if (current) await repo.setRole(trx, name, current.version, { role: 'retired' })
          }
          await repo.setRole(trx, name, version, { role: target.role, ...(target.role === 'challenger' ? { traffic: target.traffic! } : {}), promotedAt: now })
        }
        await appendAudit(trx, { actor: actor.keyId, action: 'model.promote', target: `model:${name}@${version}`, diff: { from: row.role, to: target.role, traffic: target.traffic ?? null, previousChampion: target.role === 'champion' ? champion?.version ?? null : undefined } })
        return version
      })
    },

    /** The previous champion back; the demoted version is retired and leaves the rollback history. */
    async rollback(name: string, actor: Actor) {
      return change(name, async (trx, rows) => {
        const current = rows.find((r) => r.role === 'champion')
        const previous = rows.filter((r) => r.role !== 'champion' && r.champion_since !== null)
          .sort((a, b) => new Date(b.champion_since!).getTime() - new Date(a.champion_since!).getTime())[0]
        if (!previous) throw new ConflictError(`Model ${name} has no previous champion to roll back to`, 'no_previous_champion')
        const now = new Date()
        if (current) await repo.setRole(trx, name, current.version, { role: 'retired', championSince: null })
        await repo.setRole(trx, name, previous.version, { role: 'champion', promotedAt: now, championSince: now })
        await appendAudit(trx, { actor: actor.keyId, action: 'model.rollback', target: `model:${name}@${previous.version}`, diff: { from: current?.version ?? null, to: previous.version } })
        return previous.version
      })
    },
  }
}

export type ModelsService = ReturnType<typeof createModelsService>
