import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_CONFIG, type TrainingConfig } from '../../training/lib/config.js'
import { trainFromMatrix } from '../../training/train-from-matrix.js'
import { generateSmeRows, TRAINED_FEATURES } from '../models/fixtures.js'
import type { TestApp } from '../helpers/app.js'

let cached: Promise<{ onnx: Buffer; manifest: string; reference: string }> | undefined

/** A small real credit-risk model trained by our pipeline on catalogue features (once per test file). */
export function trainCreditRisk(): Promise<{ onnx: Buffer; manifest: string; reference: string }> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'decisions-model-'))
    const { X, y } = generateSmeRows(3000, 5)
    const config: TrainingConfig = {
      ...structuredClone(DEFAULT_CONFIG), name: 'credit-risk', version: '0.1.0-test', kind: 'credit-risk', features: TRAINED_FEATURES, monotone: true,
      xgboost: { ...DEFAULT_CONFIG.xgboost, maxDepth: 3, eta: 0.3, maxRounds: 30, earlyStoppingRounds: 0 },
    }
    await trainFromMatrix({ X, y, featureNames: TRAINED_FEATURES, config, out: dir, progress: () => {} })
    return {
      onnx: await readFile(join(dir, 'model.onnx')), manifest: await readFile(join(dir, 'manifest.json'), 'utf8'),
      reference: await readFile(join(dir, 'reference.json'), 'utf8'),
    }
  })()
  return cached
}

/** multipart/form-data for app.inject: one file part per entry. */
export function multipart(parts: Record<string, { filename: string; content: Buffer | string; type: string }>) {
  const boundary = '----credit-engine-test-' + Math.random().toString(16).slice(2)
  const chunks: Buffer[] = []
  for (const [name, p] of Object.entries(parts)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`))
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content))
    chunks.push(Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Deploys the test credit-risk model through the registry API and makes it champion. */
export async function deployCreditRisk(t: TestApp): Promise<string> {
  const m = await trainCreditRisk()
  const model = await t.headersFor('model')
  const body = multipart({
    model: { filename: 'model.onnx', content: m.onnx, type: 'application/octet-stream' },
    manifest: { filename: 'manifest.json', content: m.manifest, type: 'application/json' },
    reference: { filename: 'reference.json', content: m.reference, type: 'application/json' },
  })
  const res = await t.app.inject({ method: 'POST', url: '/v1/models/credit-risk/versions', headers: { ...model, 'content-type': body.contentType }, payload: body.payload })
  if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`deploy failed: ${res.statusCode} ${res.body.slice(0, 500)}`)
  const version = (JSON.parse(m.manifest) as { version: string }).version
  const promoted = await t.app.inject({ method: 'POST', url: `/v1/models/credit-risk/versions/${version}/promote`, headers: model, payload: { role: 'champion' } })
  if (promoted.statusCode !== 200) throw new Error(`promote failed: ${promoted.statusCode} ${promoted.body.slice(0, 500)}`)
  return version
}
