/** Registry test helpers: a small trained model, shipped-model directories and multipart upload bodies. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { trainSmallModel, type TrainedModel } from '../fixtures.js'

export type { TrainedModel }
export const MODEL = 'test-sme'

let trained: Promise<TrainedModel> | undefined
/** One trained model per test file (about a second). */
export const model = (): Promise<TrainedModel> => (trained ??= trainSmallModel())

/** The trained model's manifest under another version (same artifact). */
export function manifestAs(m: TrainedModel, version: string, change: (x: Record<string, any>) => void = () => {}): Record<string, any> {
  const x = structuredClone(m.manifest) as Record<string, any>
  x.version = version
  change(x)
  return x
}

/** A models/ directory with the given versions of the trained model. */
export function shippedDir(m: TrainedModel, versions: string[], extra: (root: string) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), 'shipped-models-'))
  for (const v of versions) {
    const dir = join(root, MODEL, v)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'model.onnx'), m.onnx)
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifestAs(m, v)))
    writeFileSync(join(dir, 'reference.json'), JSON.stringify(m.reference))
  }
  extra(root)
  return root
}

/** A test app that ships `versions` of the trained model (the first boot makes the newest champion). */
export async function registryApp(m: TrainedModel, versions: string[] = ['1.0.0']): Promise<TestApp> {
  return createTestApp({ modelsDir: shippedDir(m, versions) })
}

/** A multipart/form-data body with the given file parts. */
export async function multipart(parts: Record<string, Uint8Array | string>): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData()
  for (const [name, content] of Object.entries(parts)) form.append(name, new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), `${name}.bin`)
  const res = new Response(form)
  return { payload: Buffer.from(await res.arrayBuffer()), headers: { 'content-type': res.headers.get('content-type')! } }
}

export async function deploy(t: TestApp, headers: Record<string, string>, parts: Record<string, Uint8Array | string>, name = MODEL): Promise<LightMyRequestResponse> {
  const body = await multipart(parts)
  return t.app.inject({ method: 'POST', url: `/v1/models/${name}/versions`, headers: { ...headers, ...body.headers }, payload: body.payload })
}

export const partsOf = (m: TrainedModel, manifest: Record<string, any> = m.manifest) => ({
  model: m.onnx, manifest: JSON.stringify(manifest), reference: JSON.stringify(m.reference),
})

/** A feature record of the trained model from one of its golden rows (one-hot columns given as such). */
export function goldenFeatures(m: TrainedModel, i: number): Record<string, number | null> {
  const row = m.reference.rows[i % m.reference.rows.length]!
  return Object.fromEntries(m.manifest.features.map((f, j) => [f, row.features[j] ?? null]))
}
