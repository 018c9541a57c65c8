import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'
import { deployCreditRisk, multipart, trainCreditRisk } from './model-fixture.js'

let t: TestApp
let los: Record<string, string>
let usccs: string[]

beforeAll(async () => {
  t = await createTestApp({ modelsDir: mkdtempSync(join(tmpdir(), 'no-models-')) })
  los = await t.headersFor('origination')
  const firms = Array.from({ length: 600 }, () => enterprise({ establishedOn: "2012-01-01" }))
  await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: firms } })
  const months = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 9 - i, 1)).toISOString().slice(0, 7))
  await t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings: firms.flatMap((f) => months.map((period) => ({ uscc: f.uscc, period, declaredRevenue: 900_000, taxPaid: 27_000, grade: 'B' }))) } })
  await t.services.graph.recompute()
  await deployCreditRisk(t)
  usccs = firms.map((f) => f.uscc)
})
afterAll(() => t.close())

describe('hot changes during load', () => {
  it('a rule-set activation and a model promotion during decisions fail no request, and every 2xx is recorded', async () => {
    let n = 0
    let running = true
    const answers: number[] = []
    const load = async () => {
      while (running) {
        const res = await t.app.inject({
          method: 'POST', url: '/v1/decisions', headers: los,
          payload: { applicationId: `REL-${process.pid}-${++n}`, uscc: usccs[n % usccs.length], product: 'TECH_LOAN', amount: 200_000, termMonths: 24 },
        })
        answers.push(res.statusCode)
      }
    }
    const loops = Array.from({ length: 6 }, load)

    // A new admission version: proposed by one risk key, approved by another, while decisions run.
    const risk1 = await t.headersFor('risk')
    const risk2 = await t.headersFor('risk')
    const next = JSON.parse(readFileSync('rules/admission.json', 'utf8'))
    next.version = '2099.9.9'
    next.description += ' (hot)'
    expect((await t.app.inject({ method: 'POST', url: '/v1/rule-sets/admission/versions', headers: risk1, payload: next })).statusCode).toBe(201)
    expect((await t.app.inject({ method: 'POST', url: '/v1/rule-sets/admission/versions/2099.9.9/approve', headers: risk2, payload: {} })).statusCode).toBe(200)

    // A second model version deployed and promoted to champion, while decisions run.
    const m = await trainCreditRisk()
    const manifest = JSON.parse(m.manifest)
    manifest.version = '0.2.0-test'
    const model = await t.headersFor('model')
    const body = multipart({
      model: { filename: 'model.onnx', content: m.onnx, type: 'application/octet-stream' },
      manifest: { filename: 'manifest.json', content: JSON.stringify(manifest), type: 'application/json' },
      reference: { filename: 'reference.json', content: m.reference, type: 'application/json' },
    })
    expect((await t.app.inject({ method: 'POST', url: '/v1/models/credit-risk/versions', headers: { ...model, 'content-type': body.contentType }, payload: body.payload })).statusCode).toBe(201)
    expect((await t.app.inject({ method: 'POST', url: '/v1/models/credit-risk/versions/0.2.0-test/promote', headers: model, payload: { role: 'champion' } })).statusCode).toBe(200)

    // Keep the load on until this node serves the new model (its session loads after the promotion commits), then a little longer.
    const deadline = Date.now() + 10_000
    while (t.services.models.activeVersions()['credit-risk']?.champion !== '0.2.0-test' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const servedAt = answers.length
    while (answers.length < servedAt + 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    running = false
    await Promise.all(loops)
    expect(answers.length).toBeGreaterThan(20)
    expect(answers.filter((s) => s !== 200)).toEqual([])
    // Enough distinct enterprises that the velocity rules (applications per enterprise in 30 days) never decline
    // before the model, so decisions on both model versions exist.
    const stored = await t.database.db.selectFrom('decisions').select(['rule_versions', 'model_versions']).where('application_id', 'like', `REL-${process.pid}-%`).execute()
    expect(stored).toHaveLength(answers.length)
    // Both sides of each swap served: decisions were made on the old and the new versions.
    const admissionVersions = new Set(stored.map((r) => (r.rule_versions as Record<string, string>).admission))
    expect(admissionVersions.has('2099.9.9')).toBe(true)
    const modelVersions = new Set(stored.map((r) => (r.model_versions as Record<string, string>)['credit-risk']).filter(Boolean))
    expect(modelVersions.has('0.2.0-test')).toBe(true)
  })
})
