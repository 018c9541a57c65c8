import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch } from '../helpers/factories.js'

let t: TestApp
beforeAll(async () => { t = await createTestApp() })
afterAll(() => t.close())

describe('API keys', () => {
  it('creates a key shown once, stores only its SHA-256, and audits creation and revocation', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'los', role: 'origination' } })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ name: 'los', role: 'origination', branchId: null })
    expect(created.key).toMatch(/^ce_[A-Za-z0-9_-]{43}$/)
    const stored = await t.database.db.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(stored.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'))
    expect(JSON.stringify(stored)).not.toContain(created.key)
    const listed = (await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: t.admin })).json()
    expect(JSON.stringify(listed)).not.toContain(created.key)

    const withKey = { authorization: `Bearer ${created.key}` }
    expect((await t.app.inject({ method: 'GET', url: '/v1/enterprises', headers: withKey })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}`, headers: t.admin })).statusCode).toBe(204)
    const after = await t.app.inject({ method: 'GET', url: '/v1/enterprises', headers: withKey })
    expect(after.statusCode).toBe(401)
    expect(problemOf(after).detail).toBe('The API key is unknown or revoked')
    expect(problemOf(await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${created.id}`, headers: t.admin })).status).toBe(404)

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'target']).where('target', '=', `api_key:${created.id}`).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['api_key.create', 'api_key.revoke'])
  })

  it('a branch key needs an existing branch; other roles may not carry one', async () => {
    const noBranch = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'b', role: 'branch' } })
    expect(problemOf(noBranch).errors?.[0]?.pointer).toBe('/branchId')
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'b', role: 'branch', branchId: 'NOWHERE' } })
    expect(problemOf(unknown).errors?.[0]?.message).toBe('unknown branch')
    const br = branch()
    await t.app.inject({ method: 'POST', url: '/v1/branches/batch', headers: t.admin, payload: { branches: [br] } })
    const ok = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'b', role: 'branch', branchId: br.id } })
    expect(ok.json()).toMatchObject({ role: 'branch', branchId: br.id })
    const hq = await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'h', role: 'hq', branchId: br.id } })
    expect(hq.statusCode).toBe(400)
  })

  it('refuses unknown roles, malformed headers and ids', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: t.admin, payload: { name: 'x', role: 'root' } })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'GET', url: '/v1/api-keys', headers: { authorization: 'Bearer' } })).statusCode).toBe(401)
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/api-keys/not-a-uuid', headers: t.admin })).statusCode).toBe(400)
  })

  it('the bootstrap admin key is idempotent', async () => {
    await t.services.apiKeys.ensureAdminKey('another-bootstrap-key-123')
    await t.services.apiKeys.ensureAdminKey('another-bootstrap-key-123')
    const rows = await t.database.db.selectFrom('api_keys').select('id').where('key_hash', '=', createHash('sha256').update('another-bootstrap-key-123').digest('hex')).execute()
    expect(rows).toHaveLength(1)
  })
})
