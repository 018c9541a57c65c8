import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildOpenApiDocument } from '../../src/http/openapi-document.js'
import { createTestApp, type TestApp } from '../helpers/app.js'

let t: TestApp
beforeAll(async () => { t = await createTestApp() })
afterAll(() => t.close())

describe('operations endpoints', () => {
  it('healthz and readyz answer without a key', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' })
  })

  it('metrics count requests by route template and status', async () => {
    await t.app.inject({ method: 'GET', url: '/v1/enterprises/91350100M000100Y43', headers: t.admin })
    await t.app.inject({ method: 'GET', url: '/v1/enterprises/91350100M000100Y43' })
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body
    expect(text).toContain('http_requests_total{method="GET",route="/v1/enterprises/:uscc",status="404"} 1')
    expect(text).toContain('http_requests_total{method="GET",route="/v1/enterprises/:uscc",status="401"} 1')
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/v1\/enterprises\/:uscc",status="404"\} \d/)
  })

  it('serves the OpenAPI document and the docs UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    expect(doc.openapi).toBe('3.0.3')
    expect(doc.paths['/v1/enterprises/{uscc}'].put.security).toEqual([{ bearerAuth: [] }])
    expect(doc.paths['/v1/enterprises/{uscc}'].put['x-roles']).toEqual(['admin', 'data'])
    const ui = await t.app.inject({ method: 'GET', url: '/docs' })
    expect(ui.statusCode).toBe(200)
    expect(ui.body).toContain('swagger')
  })

  it('openapi/openapi.json is up to date (run `npm run openapi` after changing a route)', async () => {
    const committed = readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')
    expect(committed).toBe(await buildOpenApiDocument())
  })
})
