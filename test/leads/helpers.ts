import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'

/** A test app serving only the shipped marketing-response model (booting every shipped model costs seconds). */
export async function createLeadsApp(overrides: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'leads-models-'))
  symlinkSync(resolve('models/marketing-response'), join(dir, 'marketing-response'))
  return createTestApp({ modelsDir: dir, ...overrides })
}

let seq = 0
/** An opportunity event row with a unique externalId (occurred an hour ago unless given). */
export function opportunity(uscc: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { externalId: `OP-${process.pid}-${++seq}`, uscc, type, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: 'test-feed', ...extra }
}

const MONTHS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 9 - i, 1)).toISOString().slice(0, 7))

/** Enterprises that pass admission (established 2015, a legal representative of 48, 12 months of grade-A filings). */
export async function admittedFirms(t: TestApp, overrides: Parameters<typeof enterprise>[0][]) {
  await t.app.inject({ method: 'POST', url: '/v1/persons/batch', headers: t.admin, payload: { persons: [{ id: 'L-P1', nameMasked: '李*', birthYear: 1978 }] } })
  const firms = overrides.map((o) => enterprise({ establishedOn: '2015-04-01', legalRepPersonId: 'L-P1', registeredCapital: 20_000_000, ...o }))
  const res = await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: firms } })
  if (res.json().accepted !== firms.length) throw new Error(`enterprise batch: ${res.body}`)
  const filings = firms.flatMap((e) => MONTHS.map((period) => ({ uscc: e.uscc, period, declaredRevenue: 800_000, taxPaid: 24_000, grade: 'A' })))
  const tax = await t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings } })
  if (tax.json().accepted !== filings.length) throw new Error(`tax batch: ${tax.body}`)
  return firms
}
