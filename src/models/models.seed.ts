/**
 * Shipped models (models/<name>/<version>/{model.onnx, manifest.json, reference.json}) into the registry at
 * boot: a version not yet stored is contract-checked and inserted as staged; a name without a champion gets
 * its newest valid shipped version as champion. An invalid shipped model is logged with every failure and skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/database.js'
import type { Notifier } from '../db/notify.js'
import { appendAudit } from '../audit/audit.repository.js'
import type { Logger } from '../rules/rules.service.js'
import { checkModel } from './contract.js'
import type { ServingManifest } from './manifest.js'
import * as repo from './models.repository.js'

export const MODELS_CHANNEL = 'credit_engine_models'

const compareVersions = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true })

function shippedVersions(modelsDir: string): Array<{ name: string; version: string; dir: string }> {
  if (!existsSync(modelsDir)) return []
  const out: Array<{ name: string; version: string; dir: string }> = []
  for (const name of readdirSync(modelsDir).sort()) {
    const nameDir = join(modelsDir, name)
    if (!statSync(nameDir).isDirectory()) continue
    for (const version of readdirSync(nameDir).sort(compareVersions)) {
      const dir = join(nameDir, version)
      if (statSync(dir).isDirectory() && existsSync(join(dir, 'model.onnx')) && existsSync(join(dir, 'manifest.json'))) out.push({ name, version, dir })
    }
  }
  return out
}

const readJson = (file: string): unknown => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined)

/** Returns the name@version keys inserted. */
export async function seedShippedModels(db: Db, notifier: Notifier, modelsDir: string, log: Logger): Promise<string[]> {
  const stored = await repo.existingKeys(db)
  const inserted = new Map<string, string[]>()
  for (const s of shippedVersions(modelsDir)) {
    if (stored.has(`${s.name}@${s.version}`)) continue
    let manifest: unknown
    let reference: unknown
    const bytes = new Uint8Array(readFileSync(join(s.dir, 'model.onnx')))
    try {
      manifest = readJson(join(s.dir, 'manifest.json'))
      reference = readJson(join(s.dir, 'reference.json'))
    } catch (err) {
      log.error({ err, dir: s.dir }, 'shipped model skipped: manifest.json or reference.json is not valid JSON')
      continue
    }
    const result = await checkModel({ onnxBytes: bytes, manifest, reference })
    const m = manifest as Partial<ServingManifest>
    const failures = [...result.failures]
    if (m?.name !== s.name) failures.push({ check: 'layout', message: `manifest name '${String(m?.name)}' is not the directory name '${s.name}'`, pointer: 'manifest.json#/name' })
    if (m?.version !== s.version) failures.push({ check: 'layout', message: `manifest version '${String(m?.version)}' is not the directory name '${s.version}'`, pointer: 'manifest.json#/version' })
    if (failures.length > 0) {
      log.error({ dir: s.dir, failures }, `shipped model ${s.name}@${s.version} skipped: ${failures.length} contract failure(s)`)
      continue
    }
    const ok = await db.transaction().execute(async (trx) => {
      const added = await repo.insertVersion(trx, {
        name: s.name, version: s.version, kind: String(m.kind), manifest, artifact: bytes, reference, sha256: result.info.sha256, role: 'staged', createdBy: 'system',
      })
      if (added) await appendAudit(trx, { actor: 'system', action: 'model.seed', target: `model:${s.name}@${s.version}`, diff: { sha256: result.info.sha256, dir: s.dir } })
      return added
    })
    if (ok) inserted.set(s.name, [...(inserted.get(s.name) ?? []), s.version])
  }
  for (const [name, versions] of inserted) {
    const newest = [...versions].sort(compareVersions).at(-1)!
    await db.transaction().execute(async (trx) => {
      const rows = await repo.lockName(trx, name)
      if (rows.some((r) => r.role === 'champion')) return
      const now = new Date()
      await repo.setRole(trx, name, newest, { role: 'champion', promotedAt: now, championSince: now })
      await appendAudit(trx, { actor: 'system', action: 'model.promote', target: `model:${name}@${newest}`, diff: { role: 'champion', reason: 'first shipped version of the model' } })
      await notifier.publish(trx, MODELS_CHANNEL, `${name}@${newest}`)
    })
    log.info({ model: name, versions }, 'shipped model versions stored')
  }
  return [...inserted.entries()].flatMap(([n, vs]) => vs.map((v) => `${n}@${v}`))
}
