import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { testConfig } from '../../src/config.js'
import { createDatabase } from '../../src/db/create-database.js'
import { syncRuleFile } from '../../src/rules/rule-files.js'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'

const admission = JSON.parse(readFileSync('rules/admission.json', 'utf8'))
const cases = JSON.parse(readFileSync('rules/tests/admission.cases.json', 'utf8'))
const silent = { info() {}, warn() {}, error() {} }

let t: TestApp
let risk: Record<string, string>
let risk2: Record<string, string>
beforeAll(async () => {
  t = await createTestApp()
  risk = await t.headersFor('risk')
  risk2 = await t.headersFor('risk')
})
afterAll(() => t.close())

const post = (url: string, headers: Record<string, string>, payload: unknown) => t.app.inject({ method: 'POST', url, headers, payload: payload as object })
const withVersion = (version: string, change: (s: typeof admission) => void = () => {}) => {
  const s = structuredClone(admission)
  s.version = version
  change(s)
  return s
}

describe('rule-set lifecycle API', () => {
  it('serves every shipped rule set, activated from rules/ at boot', async () => {
    const items = (await t.app.inject({ method: 'GET', url: '/v1/rule-sets', headers: risk })).json().items as { id: string; version: string }[]
    expect(items.map((i) => i.id)).toEqual(['admission', 'anti-fraud', 'lead-signals', 'strategy', 'warning-levels', 'warning-propagation'])
    expect(items.find((i) => i.id === 'admission')?.version).toBe(admission.version)
  })

  it('evaluates the active set on facts, with a trace on demand', async () => {
    const facts = { ...cases.baseFacts, entAgeMonths: 12 }
    const res = (await post('/v1/rule-sets/admission/evaluate', risk, { facts, trace: true })).json()
    expect(res.fired).toEqual(['ADM-ENT-AGE'])
    expect(res.outcome).toBe('DECLINE')
    expect(res.decision.reasons[0]).toMatchObject({ code: 'ADM-ENT-AGE', zh: '企业成立不足24个月' })
    const rule = res.trace.find((r: { name: string }) => r.name === 'ADM-ENT-AGE')
    expect(JSON.stringify(rule)).toContain('"lessThan"')
    const missing = await post('/v1/rule-sets/admission/evaluate', risk, { facts: { entAgeMonths: 40 } })
    expect(missing.statusCode).toBe(422)
    expect(problemOf(missing).code).toBe('undefined_fact')
    expect((await post('/v1/rule-sets/nope/evaluate', risk, { facts: {} })).statusCode).toBe(404)
  })

  it('refuses an invalid proposal with every located error, and changes nothing', async () => {
    const bad = withVersion('2026.11.90', (s) => {
      s.rules[0].conditions.all[0].fact = 'noSuchFact'
      s.rules[1].conditions.all[0].operator = 'roughlyEqual'
      s.rules[2].name = s.rules[3].name
    })
    const res = await post('/v1/rule-sets/admission/versions', risk, bad)
    expect(res.statusCode).toBe(422)
    const errors = problemOf(res).errors!
    expect(errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/rules/0/conditions/all/0/fact', '/rules/1/conditions/all/0/operator']))
    expect(errors.length).toBeGreaterThanOrEqual(3)
    expect(errors.find((e) => e.pointer === '/rules/0/conditions/all/0/fact')?.rule).toBe(admission.rules[0].name)
    expect((await t.app.inject({ method: 'GET', url: '/v1/rule-sets/admission', headers: risk })).json().version).toBe(admission.version)
    const notARuleSet = await post('/v1/rule-sets/admission/versions', risk, { hello: 'world' })
    expect(notARuleSet.statusCode).toBe(422)
  })

  it('refuses a proposal whose behaviour breaks the set\'s test cases', async () => {
    const changed = withVersion('2026.11.91', (s) => { s.rules[0].conditions.all[0].value = 6 })
    const res = await post('/v1/rule-sets/admission/versions', risk, changed)
    expect(res.statusCode).toBe(422)
    expect(problemOf(res).code).toBe('rule_set_cases_failed')
  })

  it('propose → approve by a second key → active; the proposer cannot approve; rollback restores', async () => {
    const v2 = withVersion('2026.11.2', (s) => { s.description = s.description + ' (wording)' })
    const proposed = await post('/v1/rule-sets/admission/versions', risk, v2)
    expect(proposed.statusCode).toBe(201)
    expect(proposed.json()).toMatchObject({ version: '2026.11.2', status: 'proposed', cases: { run: cases.cases.length, failed: 0 } })
    expect((await post('/v1/rule-sets/admission/versions', risk, v2)).statusCode).toBe(409)

    const diff = (await t.app.inject({ method: 'GET', url: '/v1/rule-sets/admission/versions/2026.11.2', headers: risk })).json()
    expect(diff.activeVersion).toBe(admission.version)
    expect(diff.status).toBe('proposed')

    const inFlight = t.services.rules.current('admission')
    const self = await post('/v1/rule-sets/admission/versions/2026.11.2/approve', risk, {})
    expect(self.statusCode).toBe(403)
    const approved = await post('/v1/rule-sets/admission/versions/2026.11.2/approve', risk2, {})
    expect(approved.statusCode).toBe(200)
    expect(approved.json()).toMatchObject({ version: '2026.11.2', status: 'active' })
    // An evaluation that started before the swap keeps its version; new ones get the new one.
    expect(inFlight.version).toBe(admission.version)
    expect(t.services.rules.current('admission').version).toBe('2026.11.2')
    expect((await post('/v1/rule-sets/admission/versions/2026.11.2/approve', risk2, {})).statusCode).toBe(409)

    const back = await post('/v1/rule-sets/admission/rollback', risk, { version: admission.version })
    expect(back.json()).toMatchObject({ version: admission.version, status: 'active' })
    const versions = (await t.app.inject({ method: 'GET', url: '/v1/rule-sets/admission/versions', headers: risk })).json().items
    expect(versions.filter((v: { status: string }) => v.status === 'active')).toHaveLength(1)
    expect(problemOf(await post('/v1/rule-sets/admission/rollback', risk, { version: '0.0.0' })).status).toBe(404)
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('target', 'like', 'rule_set:admission@%').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['rule_set.propose', 'rule_set.approve', 'rule_set.rollback']))
  })

  it('concurrent approvals of two proposals leave exactly one active version', async () => {
    await post('/v1/rule-sets/admission/versions', risk, withVersion('2026.11.3', (s) => { s.description += ' a' }))
    await post('/v1/rule-sets/admission/versions', risk, withVersion('2026.11.4', (s) => { s.description += ' b' }))
    const results = await Promise.all([
      post('/v1/rule-sets/admission/versions/2026.11.3/approve', risk2, {}),
      post('/v1/rule-sets/admission/versions/2026.11.4/approve', risk2, {}),
    ])
    expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    const active = await t.database.db.selectFrom('rule_set_versions').select('version').where('rule_set_id', '=', 'admission').where('status', '=', 'active').execute()
    expect(active).toHaveLength(1)
    expect(t.services.rules.current('admission').version).toBe(active[0]!.version)
  })

  it('a second node picks up an activation by itself (LISTEN/NOTIFY on PostgreSQL, the same path in-process on PGlite)', async () => {
    const handle2 = t.database.url ? await createDatabase({ databaseUrl: t.database.url }) : t.database
    const node2 = await buildApp(testConfig(), handle2)
    await post('/v1/rule-sets/admission/versions', risk, withVersion('2026.11.5', (s) => { s.description += ' c' }))
    await post('/v1/rule-sets/admission/versions/2026.11.5/approve', risk2, {})
    const deadline = Date.now() + 5000
    while (node2.services.rules.current('admission').version !== '2026.11.5' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(node2.services.rules.current('admission').version).toBe('2026.11.5')
    await node2.app.close()
    if (handle2 !== t.database) await handle2.db.destroy()
  })
})

describe('rule files', () => {
  it('an invalid file is refused with every error and the active version keeps serving; a valid edit activates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'))
    cpSync('rules', dir, { recursive: true })
    const before = t.services.rules.current('admission').version
    writeFileSync(join(dir, 'admission.json'), JSON.stringify(withVersion('2026.12.1', (s) => { s.rules[0].conditions.all[0].operator = 'nope' })))
    const errors: unknown[] = []
    const log = { ...silent, error: (obj: unknown) => errors.push(obj) }
    const invalid = await syncRuleFile(t.database.db, t.services.rules, join(dir, 'admission.json'), { activate: true, log })
    expect(invalid.outcome).toBe('invalid')
    expect(JSON.stringify(errors)).toContain('/rules/0/conditions/all/0/operator')
    expect(t.services.rules.current('admission').version).toBe(before)
    writeFileSync(join(dir, 'admission.json'), JSON.stringify(withVersion('2026.12.2', (s) => { s.description += ' edited' })))
    const ok = await syncRuleFile(t.database.db, t.services.rules, join(dir, 'admission.json'), { activate: true, log: silent })
    expect(ok).toMatchObject({ outcome: 'activated', version: '2026.12.2' })
    expect(t.services.rules.current('admission').version).toBe('2026.12.2')
    const again = await syncRuleFile(t.database.db, t.services.rules, join(dir, 'admission.json'), { activate: true, log: silent })
    expect(again.outcome).toBe('unchanged')
  })
})
