/** Rolling drift monitoring over model_score_log: PSI of the score, CSI per feature, missing rates per source, volumes. */
import { Gauge, type Registry } from 'prom-client'
import type { Db } from '../db/database.js'
import { NotFoundError } from '../shared/errors.js'
import { loggedByName } from './score-log.js'
import { driftBand, missingBySource, psi, type PsiResult, type SourceMissing } from './drift.js'
import * as repo from './models.repository.js'
import type { LoadedVersion, ServingState, StoredManifest } from './models.serving.js'

export const DEFAULT_WINDOW = 10_000
/** The gauge looks at a smaller window: a scrape must stay cheap. */
const GAUGE_WINDOW = 5_000

/** The score's PSI against the manifest's score baseline, or the PD's against its PD baseline. */
function scorePsi(m: StoredManifest, rows: ReadonlyArray<{ pd: number; score: number }>): (PsiResult & { basis: 'score' | 'pd' }) | null {
  const b = m.baseline
  if (b?.score) { const r = psi(b.score, rows.map((x) => x.score)); return r && { basis: 'score', ...r } }
  if (b?.pd) { const r = psi(b.pd, rows.map((x) => x.pd)); return r && { basis: 'pd', ...r } }
  return null
}

export interface VersionMonitoring {
  version: string; role: string; count: number
  psi: (PsiResult & { basis: 'score' | 'pd' }) | null
  csi: Array<{ feature: string; value: number; band: string; count: number }>
  missing: SourceMissing[]
}

export function createMonitoring(db: Db, state: ServingState) {
  const serving = (): LoadedVersion[] => state.all().flatMap((m) => [m.champion, m.challenger, ...m.shadows]).filter((v): v is LoadedVersion => v !== undefined)

  return {
    async monitoring(name: string, window = DEFAULT_WINDOW) {
      const m = state.get(name)
      const stored = await repo.listVersions(db, name)
      if (!m && stored.length === 0) throw new NotFoundError(`Model ${name} was not found`)
      const active = m ? [m.champion, m.challenger, ...m.shadows].filter((v): v is LoadedVersion => v !== undefined) : []
      const versions: VersionMonitoring[] = []
      for (const v of active) {
        const rows = await repo.scoreWindow(db, name, v.version, window, true)
        const featuresRows = rows.map((r) => (r.features === null ? null : loggedByName(v.manifest.features, r.features)))
        const csi: VersionMonitoring['csi'] = []
        for (const [feature, baseline] of Object.entries(v.manifest.baseline?.features ?? {})) {
          const values = featuresRows.filter((f) => f !== null).map((f) => f![feature] ?? null)
          const r = psi(baseline, values)
          if (r) csi.push({ feature, value: r.value, band: driftBand(r.value), count: r.count })
        }
        csi.sort((a, b) => b.value - a.value)
        versions.push({
          version: v.version, role: v.role, count: rows.length, psi: scorePsi(v.manifest, rows), csi,
          missing: missingBySource(v.manifest.features, featuresRows, v.manifest.baseline?.features),
        })
      }
      const volumes = (await repo.volumes(db, name, window)).map((r) => ({ ...r, first: r.first ? new Date(r.first).toISOString() : null, last: r.last ? new Date(r.last).toISOString() : null }))
      return { name, window, versions, volumes }
    },

    /** `model_score_psi{name,version}`: the score PSI of every serving version, computed when scraped. */
    registerGauges(registry: Registry): void {
      new Gauge({
        name: 'model_score_psi', help: `PSI of the model score over the latest ${GAUGE_WINDOW} scores against the manifest baseline (>0.25 major shift)`,
        labelNames: ['name', 'version'], registers: [registry],
        async collect() {
          this.reset()
          for (const v of serving()) {
            const r = scorePsi(v.manifest, await repo.scoreWindow(db, v.name, v.version, GAUGE_WINDOW, false))
            if (r) this.set({ name: v.name, version: v.version }, r.value)
          }
        },
      })
    },
  }
}
