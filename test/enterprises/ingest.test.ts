import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { branch, enterprise, enterpriseBody, nextUscc } from '../helpers/factories.js'

let t: TestApp
let data: Record<string, string>
const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: data, payload: payload as object })

beforeAll(async () => {
  t = await createTestApp()
  data = await t.headersFor('data')
})
afterAll(() => t.close())

describe('batch ingest', () => {
  it('stores valid rows, reports invalid ones with pointers, and is harmless to repeat', async () => {
    const br = branch()
    expect((await post('/v1/branches/batch', { branches: [br] })).json()).toEqual({ accepted: 1, rejected: [] })
    const persons = [{ id: 'P-1', nameMasked: '张*', birthYear: 1980 }, { id: 'P-2', nameMasked: '李*', birthYear: 1850 }]
    expect((await post('/v1/persons/batch', { persons })).json()).toEqual({
      accepted: 1, rejected: [{ index: 1, errors: [{ pointer: '/persons/1/birthYear', message: 'must be >= 1900' }] }],
    })
    const good = enterprise({ legalRepPersonId: 'P-1', customerBranchId: br.id, tags: ['HIGH_TECH'] })
    const rows = [
      good,
      enterprise({ registeredCapital: -1 }),
      enterprise({ establishedOn: '2999-01-01' }),
      enterprise({ customerBranchId: 'NO-SUCH-BRANCH' }),
      { ...enterprise(), uscc: '91350100M000100Y44' },
      { ...enterprise(), favouriteColour: 'red' },
    ]
    const res = await post('/v1/enterprises/batch', { enterprises: rows })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.accepted).toBe(1)
    expect(body.rejected.map((r: { index: number; errors: { pointer: string }[] }) => [r.index, r.errors[0]!.pointer])).toEqual([
      [1, '/enterprises/1/registeredCapital'],
      [2, '/enterprises/2/establishedOn'],
      [3, '/enterprises/3/customerBranchId'],
      [4, '/enterprises/4/uscc'],
      [5, '/enterprises/5/favouriteColour'],
    ])
    expect(body.rejected[2].errors[0].message).toBe('unknown branch NO-SUCH-BRANCH')

    // Re-sending is an upsert: still one row, values replaced.
    const again = await post('/v1/enterprises/batch', { enterprises: [{ ...good, name: '改名后的企业' }] })
    expect(again.json()).toEqual({ accepted: 1, rejected: [] })
    const profile = await t.app.inject({ method: 'GET', url: `/v1/enterprises/${good.uscc}`, headers: data })
    expect(profile.json()).toMatchObject({ uscc: good.uscc, name: '改名后的企业', customerBranchId: br.id, legalRepPersonId: 'P-1', tags: ['HIGH_TECH'], registeredCapital: 5_000_000 })
  })

  it('refuses a batch that names the same key twice, storing nothing', async () => {
    const e = enterprise()
    const res = await post('/v1/enterprises/batch', { enterprises: [e, enterprise(), { ...e, name: 'other' }] })
    expect(res.statusCode).toBe(400)
    const p = problemOf(res)
    expect(p.code).toBe('duplicate_keys')
    expect(p.errors).toEqual([{ in: 'body', pointer: '/enterprises/2', message: `duplicates the key of row 0 (${e.uscc})` }])
    const get = await t.app.inject({ method: 'GET', url: `/v1/enterprises/${e.uscc}`, headers: data })
    expect(get.statusCode).toBe(404)
  })

  it('checks relations: endpoints must exist and fit the relation type', async () => {
    const [a, b] = [enterprise(), enterprise()]
    await post('/v1/persons/batch', { persons: [{ id: 'P-REL', nameMasked: '王*', birthYear: 1975 }] })
    expect((await post('/v1/enterprises/batch', { enterprises: [a, b] })).json().accepted).toBe(2)
    const ghost = nextUscc()
    const res = await post('/v1/relations/batch', {
      relations: [
        { type: 'SHAREHOLDER', fromType: 'enterprise', fromId: a.uscc, toType: 'enterprise', toId: b.uscc, ratio: 0.4 },
        { type: 'GUARANTEE', fromType: 'enterprise', fromId: b.uscc, toType: 'enterprise', toId: a.uscc, amount: 1_000_000 },
        { type: 'LEGAL_REP', fromType: 'person', fromId: 'P-REL', toType: 'enterprise', toId: a.uscc },
        { type: 'SUPPLIER', fromType: 'enterprise', fromId: a.uscc, toType: 'enterprise', toId: ghost },
        { type: 'EXECUTIVE', fromType: 'enterprise', fromId: a.uscc, toType: 'enterprise', toId: b.uscc },
        { type: 'SHAREHOLDER', fromType: 'person', fromId: 'P-REL', toType: 'enterprise', toId: b.uscc },
        { type: 'SUPPLIER', fromType: 'enterprise', fromId: a.uscc, toType: 'enterprise', toId: a.uscc },
      ],
    })
    const body = res.json()
    expect(body.accepted).toBe(3)
    expect(body.rejected).toEqual([
      { index: 3, errors: [{ pointer: '/relations/3/toId', message: `unknown enterprise ${ghost}` }] },
      { index: 4, errors: [{ pointer: '/relations/4/fromType', message: 'EXECUTIVE must start at person' }] },
      { index: 5, errors: [{ pointer: '/relations/5/ratio', message: 'is required for SHAREHOLDER' }] },
      { index: 6, errors: [{ pointer: '/relations/6/toId', message: 'a relation cannot join a node to itself' }] },
    ])
    const profile = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${a.uscc}`, headers: data })).json()
    expect(profile.relationCounts).toEqual({ GUARANTEE: 1, LEGAL_REP: 1, SHAREHOLDER: 1 })
  })

  it('summarises the latest 12 tax filings in the profile', async () => {
    const e = enterprise()
    await post('/v1/enterprises/batch', { enterprises: [e] })
    const filings = Array.from({ length: 14 }, (_, i) => {
      const period = `2025-${String((i % 12) + 1).padStart(2, '0')}`
      return { uscc: e.uscc, period: i < 12 ? period : `2024-${String(i - 1).padStart(2, '0')}`, declaredRevenue: i === 3 ? 0 : 100_000, taxPaid: i === 3 ? 0 : 3_000, zeroFiling: i === 3, late: i === 5, grade: i === 11 ? 'B' : null }
    })
    filings.push({ uscc: e.uscc, period: '2025-13', declaredRevenue: 1, taxPaid: 0, zeroFiling: false, late: false, grade: null })
    filings.push({ uscc: nextUscc(), period: '2025-01', declaredRevenue: 1, taxPaid: 0, zeroFiling: false, late: false, grade: null })
    filings.push({ uscc: e.uscc, period: '2099-01', declaredRevenue: 1, taxPaid: 0, zeroFiling: false, late: false, grade: null })
    const res = (await post('/v1/tax-filings/batch', { filings })).json()
    expect(res.accepted).toBe(14)
    expect(res.rejected.map((r: { index: number }) => r.index)).toEqual([14, 15, 16])
    const profile = (await t.app.inject({ method: 'GET', url: `/v1/enterprises/${e.uscc}`, headers: data })).json()
    expect(profile.taxSummary).toEqual({
      latestPeriod: '2025-12', grade: 'B', revenue12m: 1_100_000, taxPaid12m: 33_000, zeroFilingMonths12m: 1, lateFilings12m: 1, arrears: false,
    })
  })
})

describe('single enterprise and listing', () => {
  it('PUT creates (201) then updates (200), and the USCC in the path is checked', async () => {
    const uscc = nextUscc()
    const created = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${uscc}`, headers: data, payload: enterpriseBody() })
    expect(created.statusCode).toBe(201)
    const updated = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${uscc}`, headers: data, payload: enterpriseBody({ employees: 12 }) })
    expect(updated.statusCode).toBe(200)
    expect(updated.json().employees).toBe(12)
    const bad = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${uscc.slice(0, 17)}Z`, headers: data, payload: enterpriseBody() })
    expect(bad.statusCode).toBe(400)
    expect(problemOf(bad).errors).toEqual([{ in: 'params', pointer: '/uscc', message: 'is not a valid USCC (18 characters, GB 32100-2015 check character)' }])
    const audit = await t.database.db.selectFrom('audit_log').select(['action']).where('target', '=', `enterprise:${uscc}`).orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['enterprise.create', 'enterprise.update'])
  })

  it('PUT refuses an unknown branch and a legal representative who does not exist, with pointers', async () => {
    const res = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${nextUscc()}`, headers: data, payload: enterpriseBody({ customerBranchId: 'NOPE', legalRepPersonId: 'NOBODY' }) })
    expect(res.statusCode).toBe(400)
    expect(problemOf(res).errors?.map((e) => e.pointer).sort()).toEqual(['/customerBranchId', '/legalRepPersonId'])
  })

  it('lists with filters and a cursor that walks every page once', async () => {
    const br = branch({ id: 'LIST-BR' })
    await post('/v1/branches/batch', { branches: [br] })
    const rows = Array.from({ length: 7 }, (_, i) => enterprise({ regionCode: '440305', industryCode: i % 2 ? 'F5191' : 'C3311', customerBranchId: i < 3 ? br.id : null }))
    await post('/v1/enterprises/batch', { enterprises: rows })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/v1/enterprises?region=4403&limit=3${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await t.app.inject({ method: 'GET', url, headers: data })).json()
      seen.push(...page.items.map((e: { uscc: string }) => e.uscc))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(rows.map((r) => r.uscc).sort())
    const customers = (await t.app.inject({ method: 'GET', url: '/v1/enterprises?region=440305&customer=true', headers: data })).json()
    expect(customers.items).toHaveLength(3)
    const trade = (await t.app.inject({ method: 'GET', url: '/v1/enterprises?region=440305&industry=F', headers: data })).json()
    expect(trade.items).toHaveLength(3)
    const badCursor = await t.app.inject({ method: 'GET', url: '/v1/enterprises?cursor=notacursor', headers: data })
    expect(badCursor.statusCode).toBe(400)
    expect(problemOf(badCursor).errors?.[0]?.pointer).toBe('/cursor')
    const badLimit = await t.app.inject({ method: 'GET', url: '/v1/enterprises?limit=100000', headers: data })
    expect(problemOf(badLimit).errors?.[0]).toMatchObject({ in: 'querystring', pointer: '/limit' })
  })
})

describe('malformed requests answer problem+json', () => {
  it('malformed JSON → 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: { ...data, 'content-type': 'application/json' }, payload: '{"enterprises": [' })
    expect(res.statusCode).toBe(400)
    expect(problemOf(res).detail).toBe('The body is not valid JSON')
  })
  it('wrong content type → 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: { ...data, 'content-type': 'text/csv' }, payload: 'a,b' })
    expect(res.statusCode).toBe(415)
    problemOf(res)
  })
  it('unknown top-level field, empty batch and more than 10,000 rows → 400', async () => {
    expect((await post('/v1/persons/batch', { persons: [], extra: 1 })).statusCode).toBe(400)
    expect(problemOf(await post('/v1/persons/batch', { persons: [] })).errors?.[0]?.pointer).toBe('/persons')
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ id: `p${i}`, nameMasked: 'x', birthYear: 1990 }))
    const res = await post('/v1/persons/batch', { persons: tooMany })
    expect(res.statusCode).toBe(400)
    expect(problemOf(res).errors?.[0]?.message).toMatch(/10000/)
  })
  it('a body over the limit → 413', async () => {
    const res = await t.app.inject({ method: 'PUT', url: `/v1/enterprises/${nextUscc()}`, headers: data, payload: enterpriseBody({ address: 'x'.repeat(2 * 1024 * 1024) }) })
    expect(res.statusCode).toBe(413)
    expect(problemOf(res).status).toBe(413)
  })
  it('an unknown route → 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: data })
    expect(problemOf(res).code).toBe('route_not_found')
  })
})

describe('error messages', () => {
  it('a nullable field that fails reports only the real reason', async () => {
    const res = await post('/v1/persons/batch', { persons: [{ id: 'P-N', nameMasked: 'x', birthYear: 1980, idHash: 5 }] })
    expect(res.json().rejected).toEqual([{ index: 0, errors: [{ pointer: '/persons/0/idHash', message: 'must be string' }] }])
  })
})
