import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js'
import { enterprise, nextUscc } from '../helpers/factories.js'
import { deployCreditRisk } from './model-fixture.js'
import type { EnterpriseRow } from '../../src/enterprises/enterprises.types.js'
import { decisionSources } from '../../src/decisions/decisions.repository.js'
import { assembleFeatures } from '../../src/features/assemble.js'

let t: TestApp
let los: Record<string, string>
let risk: Record<string, string>
let good: EnterpriseRow
let young: EnterpriseRow
let seq = 0
const appId = () => `APP-${process.pid}-${++seq}`
const decide = (body: Record<string, unknown>, headers = los) => t.app.inject({ method: 'POST', url: '/v1/decisions', headers, payload: body })
const body = (uscc: string, extra: Record<string, unknown> = {}) => ({ applicationId: appId(), uscc, product: 'TAX_LOAN', amount: 300_000, termMonths: 12, ...extra })

beforeAll(async () => {
  // No shipped models: the file deploys its own small model after testing the no-model path.
  t = await createTestApp({ modelsDir: mkdtempSync(join(tmpdir(), 'no-models-')) })
  los = await t.headersFor('origination')
  risk = await t.headersFor('risk')
  await t.app.inject({ method: 'POST', url: '/v1/persons/batch', headers: t.admin, payload: { persons: [{ id: 'D-P1', nameMasked: '孙*', birthYear: 1978 }] } })
  good = enterprise({ establishedOn: '2015-04-01', legalRepPersonId: 'D-P1', registeredCapital: 20_000_000 })
  young = enterprise({ establishedOn: new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10) })
  await t.app.inject({ method: 'POST', url: '/v1/enterprises/batch', headers: t.admin, payload: { enterprises: [good, young] } })
  const months = Array.from({ length: 12 }, (_, i) => { const d = new Date(Date.UTC(2026, 9 - i, 1)); return d.toISOString().slice(0, 7) })
  const filings = [good, young].flatMap((e) => months.map((period) => ({ uscc: e.uscc, period, declaredRevenue: 800_000, taxPaid: 24_000, grade: 'A' })))
  await t.app.inject({ method: 'POST', url: '/v1/tax-filings/batch', headers: t.admin, payload: { filings } })
  await t.services.graph.recompute()
})
afterAll(() => t.close())

describe('decisions without a deployed model', () => {
  it('refers with MODEL_UNAVAILABLE instead of failing, and records the decision', async () => {
    const res = await decide(body(good.uscc))
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(d.outcome).toBe('REFER')
    expect(d.reasons[0].code).toBe('MODEL_UNAVAILABLE')
    expect((await t.app.inject({ method: 'GET', url: `/v1/decisions/${d.decisionId}`, headers: risk })).json().outcome).toBe('REFER')
  })
})

describe('decision pipeline with the credit-risk model', () => {
  beforeAll(async () => { await deployCreditRisk(t) })

  it('decides, explains and records before answering', async () => {
    const res = await decide(body(good.uscc))
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(['APPROVE', 'REFER', 'DECLINE']).toContain(d.outcome)
    expect(d.pd).toBeGreaterThan(0)
    expect(d.pd).toBeLessThan(1)
    expect(d.grade).toMatch(/^[A-E]$/)
    expect(d.versions.ruleSets).toEqual({
      admission: t.services.rules.current('admission').version, 'anti-fraud': t.services.rules.current('anti-fraud').version, strategy: t.services.rules.current('strategy').version,
    })
    expect(d.versions.models['credit-risk']).toBe('0.1.0-test')
    if (d.outcome === 'APPROVE') {
      expect(d.limit).toBeGreaterThan(0)
      expect(d.limit).toBeLessThanOrEqual(300_000)
      expect(d.rate).toBeGreaterThan(0)
    }
    const stored = (await t.app.inject({ method: 'GET', url: `/v1/decisions/${d.decisionId}`, headers: risk })).json()
    expect(stored).toMatchObject({ decisionId: d.decisionId, outcome: d.outcome, pd: d.pd, uscc: good.uscc })
    expect(stored.features.taxCreditGrade).toBe('A')
    expect(stored.features.requestedAmount).toBe(300_000)
    // The strategy saw the model's pd and score; the recorded facts are the enterprise's and the application's only.
    expect(Object.keys(stored.features)).not.toContain('pd')
    expect(Object.keys(stored.features)).not.toContain('score')
    expect(stored.trace.stages.map((s: { stage: string }) => s.stage)).toEqual(['admission', 'anti-fraud', 'model', 'strategy'])
    // The per-condition trace is reproduced from the stored facts on the recorded versions.
    const admissionTrace = JSON.stringify(stored.trace.rules.admission)
    expect(admissionTrace).toContain('ADM-ENT-AGE')
    expect(admissionTrace).toContain('entAgeMonths')
    expect(stored.trace.rules.strategy.length).toBeGreaterThan(0)
  })

  it('stops at admission: a young enterprise is declined with the rule\'s reason and no model score', async () => {
    const d = (await decide(body(young.uscc))).json()
    expect(d.outcome).toBe('DECLINE')
    expect(d.reasons.map((r: { code: string }) => r.code)).toContain('ADM-ENT-AGE')
    expect(d.pd).toBeNull()
    expect(d.versions.models).toEqual({})
  })

  it('refers an enterprise it has no data on with NO_DATA, never a 500', async () => {
    const res = await decide(body(nextUscc()))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ outcome: 'REFER', reasons: [{ code: 'NO_DATA' }] })
  })

  it('reads a batch of enterprises in one statement: per USCC in order, unknown ones as null, same features as the feature service', async () => {
    const unknown = nextUscc()
    const asOf = new Date()
    const got = await decisionSources(t.database.db, [good.uscc, unknown, young.uscc, good.uscc], asOf)
    expect(got.map((g) => g.source?.uscc ?? null)).toEqual([good.uscc, null, young.uscc, good.uscc])
    expect(got[0]!.legalRep).toBe('D-P1')
    expect(got[1]).toMatchObject({ source: null, legalRep: null, sameUscc30d: 0, sameLegalRep24h: 0 })
    const viaService = await t.services.features.forEnterprise(good.uscc, asOf)
    expect(assembleFeatures(got[0]!.source!, asOf).values).toEqual(viaService.values)
    expect(got[3]!.sameUscc30d).toBe(got[0]!.sameUscc30d)
    expect(got[0]!.sameUscc30d).toBeGreaterThan(0)
  })

  it('concurrent decisions share statements and each gets and records its own answer', async () => {
    const velocityDeclined = (d: { reasons: { code: string }[] }) => d.reasons.some((r) => r.code === 'AF-VELOCITY-USCC' || r.code === 'AF-VELOCITY-LEGAL-REP')
    const unknown = nextUscc()
    const usccs = Array.from({ length: 24 }, (_, i) => [good.uscc, young.uscc, unknown][i % 3]!)
    const bodies = usccs.map((uscc, i) => body(uscc, { amount: 100_000 + i * 1_000 }))
    const answers = (await Promise.all(bodies.map((b) => decide(b)))).map((r) => { expect(r.statusCode).toBe(200); return r.json() })
    answers.forEach((d, i) => {
      expect(d.applicationId).toBe(bodies[i]!.applicationId)
      if (usccs[i] === young.uscc) expect(d.reasons.map((r: { code: string }) => r.code)).toContain('ADM-ENT-AGE')
      if (usccs[i] === unknown) expect(d.reasons[0].code).toBe('NO_DATA')
      // A burst can run in several read statements; a read after enough recorded applications of the enterprise
      // (five in 30 days) or of its legal representative (three in 24 h) declines it by velocity before the
      // model, and its stored facts say so (below). Any other is scored.
      if (usccs[i] === good.uscc && !velocityDeclined(d)) expect(d.pd).toBeGreaterThan(0)
      if (usccs[i] === good.uscc && velocityDeclined(d)) expect(d.pd).toBeNull()
    })
    expect(answers.filter((d, i) => usccs[i] === good.uscc && d.pd > 0).length).toBeGreaterThan(0)
    const stored = await Promise.all(answers.map((d) => t.app.inject({ method: 'GET', url: `/v1/decisions/${d.decisionId}`, headers: risk })))
    stored.forEach((res, i) => {
      const s = res.json()
      expect(s).toMatchObject({ uscc: usccs[i], applicationId: bodies[i]!.applicationId, outcome: answers[i].outcome })
      expect(s.features.requestedAmount).toBe(bodies[i]!.amount)
      if (velocityDeclined(answers[i])) expect(s.features.applications30dSameUscc >= 5 || s.features.applications24hSameLegalRep >= 3).toBe(true)
    })
    // Each record holds the facts its own answer was computed from: replaying it changes nothing.
    for (const d of answers) {
      const replay = (await t.app.inject({ method: 'POST', url: `/v1/decisions/${d.decisionId}/replay`, headers: risk, payload: {} })).json()
      expect(replay.differences).toEqual([])
    }
  })

  it('decides from the online feature store when its row is current, with the same facts as the live assembly', async () => {
    const facts = async (d: { decisionId: string }) => {
      const { applications30dSameUscc, applications24hSameLegalRep, ...rest } = (await t.app.inject({ method: 'GET', url: `/v1/decisions/${d.decisionId}`, headers: risk })).json().features
      return { rest, velocity: [applications30dSameUscc, applications24hSameLegalRep] }
    }
    await t.database.db.updateTable('enterprise_features').set({ features: null }).where('uscc', '=', good.uscc).execute()
    const liveAnswer = (await decide(body(good.uscc))).json()
    await t.services.featureStore.refreshAll()
    expect((await decisionSources(t.database.db, [good.uscc], new Date()))[0]!.stored).not.toBeNull()
    const storedAnswer = (await decide(body(good.uscc))).json()
    const [a, b] = [await facts(liveAnswer), await facts(storedAnswer)]
    expect(b.rest).toEqual(a.rest)
    expect(b.velocity[0]).toBe(a.velocity[0] + 1)
    expect(storedAnswer.pd).toBe(liveAnswer.pd)
    expect(storedAnswer.versions.featureSnapshot).toBe(liveAnswer.versions.featureSnapshot)
    const replay = (await t.app.inject({ method: 'POST', url: `/v1/decisions/${storedAnswer.decisionId}/replay`, headers: risk, payload: {} })).json()
    expect(replay.differences).toEqual([])
  })

  it('is idempotent on applicationId: same body → same decision, other body → 409, concurrent duplicates (100) → one row, identical answers', async () => {
    const b = body(good.uscc)
    const first = (await decide(b)).json()
    const again = (await decide(b)).json()
    expect(again).toEqual(first)
    const other = await decide({ ...b, amount: 400_000 })
    expect(other.statusCode).toBe(409)
    expect(problemOf(other).code).toBe('application_conflict')

    const c = body(good.uscc)
    const answers = await Promise.all(Array.from({ length: 100 }, () => decide(c)))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(100).fill(200))
    expect(new Set(answers.map((a) => a.json().decisionId)).size).toBe(1)
    // Every duplicate is answered with the one stored decision, identical to the winner's answer.
    const winner = answers[0]!.json()
    for (const a of answers) expect(a.json()).toEqual(winner)
    const rows = await t.database.db.selectFrom('decisions').select('id').where('application_id', '=', c.applicationId).execute()
    expect(rows).toHaveLength(1)
  })

  it('refuses bad input with problem+json', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [body('91350100M000100Y44'), 400, '/uscc'],
      [body(good.uscc, { product: 'CAR_LOAN' }), 400, '/product'],
      [body(good.uscc, { amount: 0 }), 400, '/amount'],
      [body(good.uscc, { amount: 3_000_001 }), 400, '/amount'],
      [body(good.uscc, { termMonths: 13 }), 400, '/termMonths'],
      [body(good.uscc, { termMonths: 0 }), 400, '/termMonths'],
      [body(good.uscc, { amount: '300000' }), 400, '/amount'],
      [body(good.uscc, { colour: 'red' }), 400, '/colour'],
    ]
    for (const [b, status, ptr] of cases) {
      const res = await decide(b)
      expect(res.statusCode, JSON.stringify(b)).toBe(status)
      expect(problemOf(res).errors?.map((e) => e.pointer), JSON.stringify(b)).toContain(ptr)
    }
    expect((await decide(body(good.uscc), risk)).statusCode).toBe(403)
    const before = await t.database.db.selectFrom('decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await decide(body(good.uscc, { product: 'CAR_LOAN' }))
    const after = await t.database.db.selectFrom('decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('lists decisions by enterprise and outcome with a cursor', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/v1/decisions?uscc=${good.uscc}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await t.app.inject({ method: 'GET', url, headers: risk })).json()
      seen.push(...page.items.map((i: { decisionId: string }) => i.decisionId))
      cursor = page.nextCursor
    } while (cursor)
    const all = await t.database.db.selectFrom('decisions').select('id').where('uscc', '=', good.uscc).execute()
    expect(seen.sort()).toEqual(all.map((r) => r.id).sort())
    const declined = (await t.app.inject({ method: 'GET', url: '/v1/decisions?outcome=DECLINE', headers: risk })).json()
    expect(declined.items.every((i: { outcome: string }) => i.outcome === 'DECLINE')).toBe(true)
  })

  it('replays a decision from its stored facts: no differences on the same versions', async () => {
    const d = (await decide(body(good.uscc))).json()
    const replay = (await t.app.inject({ method: 'POST', url: `/v1/decisions/${d.decisionId}/replay`, headers: risk, payload: {} })).json()
    expect(replay.differences).toEqual([])
    expect(replay.replayed.outcome).toBe(d.outcome)
  })

  it('backtests a stricter admission set over stored decisions', async () => {
    const stricter = JSON.parse(readFileSync('rules/admission.json', 'utf8'))
    stricter.version = '2099.1.1'
    stricter.rules.find((r: { name: string }) => r.name === 'ADM-ENT-AGE').conditions.all[0].value = 600
    const res = await t.app.inject({ method: 'POST', url: '/v1/rule-sets/admission/simulate', headers: risk, payload: { ruleSet: stricter, last: 1000 } })
    expect(res.statusCode).toBe(200)
    const sim = res.json()
    expect(sim.decisions).toBeGreaterThan(5)
    const toDecline = Object.entries(sim.swapMatrix as Record<string, Record<string, number>>).filter(([from]) => from !== 'DECLINE')
      .reduce((n, [, to]) => n + (to.DECLINE ?? 0), 0)
    expect(toDecline).toBeGreaterThan(0)
    expect(sim.ruleHitRates.find((r: { rule: string }) => r.rule === 'ADM-ENT-AGE').delta).toBeGreaterThan(0)
    expect(sim.changed.total).toBe(toDecline)
    expect(sim.approvalRate.delta).toBeLessThanOrEqual(0)
  })

  it('a rule-set proposal carries the backtest summary when decisions exist', async () => {
    const next = JSON.parse(readFileSync('rules/admission.json', 'utf8'))
    next.version = '2099.2.2'
    next.description += ' (reworded)'
    const res = await t.app.inject({ method: 'POST', url: '/v1/rule-sets/admission/versions', headers: risk, payload: next })
    expect(res.statusCode).toBe(201)
    const p = res.json()
    expect(p.backtest.decisions).toBeGreaterThan(5)
    expect(p.backtest.changed.total).toBe(0) // the same rules: nothing changes
    expect(p.backtest.approvalRate.delta).toBe(0)
  })
})
