import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '../../src/shared/roles.js'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch } from '../helpers/factories.js'

let t: TestApp
const headers = new Map<Role, Record<string, string>>()

beforeAll(async () => {
  t = await createTestApp()
  const br = branch()
  await t.app.inject({ method: 'POST', url: '/v1/branches/batch', headers: t.admin, payload: { branches: [br] } })
  for (const role of ROLES) headers.set(role, role === 'admin' ? t.admin : await t.headersFor(role, role === 'branch' ? br.id : undefined))
})
afterAll(() => t.close())

/** A concrete URL for a route template: path parameters get placeholder values (authorization runs first). */
const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (name === 'uscc' ? '91350100M000100Y43' : 'x'))

describe('role × route matrix', () => {
  it('every /v1 route declares its roles, and health, metrics and docs are public', () => {
    const v1 = t.routes.filter((r) => r.url.startsWith('/v1/'))
    expect(v1.length).toBeGreaterThan(5)
    for (const r of v1) expect(r.roles, `${r.method} ${r.url}`).not.toBeNull()
    for (const r of t.routes.filter((x) => !x.url.startsWith('/v1/'))) expect(r.roles, `${r.method} ${r.url}`).toBeNull()
  })

  it('answers 401 without a valid key and 403 to every role the route does not admit', async () => {
    let checked = 0
    for (const route of t.routes.filter((r) => r.roles)) {
      const url = concrete(route.url)
      const method = route.method as 'GET'
      const none = await t.app.inject({ method, url })
      expect(none.statusCode, `${route.method} ${route.url} without a key`).toBe(401)
      const bogus = await t.app.inject({ method, url, headers: { authorization: 'Bearer not-a-key' } })
      expect(bogus.statusCode, `${route.method} ${route.url} with an unknown key`).toBe(401)
      for (const role of ROLES) {
        const res = await t.app.inject({ method, url, headers: headers.get(role)! })
        const allowed = role === 'admin' || route.roles!.includes(role)
        if (allowed) expect([401, 403], `${role} on ${route.method} ${route.url}`).not.toContain(res.statusCode)
        else {
          expect(res.statusCode, `${role} on ${route.method} ${route.url}`).toBe(403)
          expect(problemOf(res).code).toBe('forbidden')
        }
        checked++
      }
    }
    expect(checked).toBe(t.routes.filter((r) => r.roles).length * ROLES.length)
  })
})
