import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, UsccSchema, literals, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import { PRODUCTS } from './products.js'
import type { DecisionsService } from './decisions.service.js'

const READERS: Role[] = ['origination', 'risk', 'hq']
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Hash = Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9+/=_-]+$' })

export const DecisionRequestSchema = Type.Object({
  applicationId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'The LOS application id: the idempotency key' }),
  uscc: UsccSchema,
  product: Type.String({ minLength: 1, maxLength: 64, description: `One of ${PRODUCTS.map((p) => p.code).join(', ')}` }),
  amount: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'Requested amount in whole yuan' }),
  termMonths: Type.Integer({ minimum: 1, maximum: 360 }),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  applicant: Type.Optional(Type.Object({ legalRepIdHash: Type.Optional(Hash), phoneHash: Type.Optional(Hash) }, { additionalProperties: false })),
}, { additionalProperties: false })

const ReasonSchema = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), points: Type.Optional(Type.Number()) })
export const DecisionResponseSchema = Type.Object({
  decisionId: Type.String(), applicationId: Type.String(), outcome: literals(['APPROVE', 'REFER', 'DECLINE'] as const),
  limit: Nullable(Type.Number({ description: 'Approved limit in yuan' })), rate: Nullable(Type.Number({ description: 'Annual rate in percent' })),
  rateBps: Nullable(Type.Integer()), pd: Nullable(Type.Number()), score: Nullable(Type.Number()), grade: Nullable(Type.String()),
  reasons: Type.Array(ReasonSchema),
  versions: Type.Object({ ruleSets: Type.Record(Type.String(), Type.String()), models: Type.Record(Type.String(), Type.String()), featureSnapshot: Nullable(Type.String()) }),
  latencyMs: Type.Number(),
})
const Any = (description: string) => Type.Object({}, { additionalProperties: true, description })

export function decisionsRoutes(fastify: FastifyInstance, opts: { decisions: DecisionsService }) {
  const app = typed(fastify)
  const { decisions } = opts
  const tags = ['decisions']

  app.get('/v1/products', {
    schema: { tags, summary: 'Loan products: caps, terms, the rule sets and models they run', response: { 200: Type.Object({ items: Type.Array(Any('product')) }), ...problems(...AUTH_PROBLEMS) } },
    config: { roles: READERS },
  }, async () => ({ items: PRODUCTS.map((p) => ({ ...p, ruleSets: [...p.ruleSets], models: [...p.models] })) }))

  app.post('/v1/decisions', {
    schema: {
      tags, summary: 'Decide a credit application; the decision is recorded before the answer (idempotent on applicationId)',
      body: DecisionRequestSchema, response: { 200: DecisionResponseSchema, ...problems(...AUTH_PROBLEMS, 409, 413, 415, 503) },
    },
    config: { roles: ['origination'] },
  }, async (req) => decisions.decide(req.body, req.auth))

  app.get('/v1/decisions/:id', {
    schema: { tags, summary: 'A recorded decision with its request, facts, trace and shadow scores', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Any('decision'), ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: READERS },
  }, async (req) => decisions.get(req.params.id))

  app.get('/v1/decisions', {
    schema: {
      tags, summary: 'Recorded decisions, newest first',
      querystring: Type.Object({
        uscc: Type.Optional(UsccSchema), outcome: Type.Optional(literals(['APPROVE', 'REFER', 'DECLINE'] as const)),
        from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
        cursor: Type.Optional(Type.String({ maxLength: 512 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Any('decision summary')), nextCursor: Nullable(Type.String()) }), ...problems(...AUTH_PROBLEMS) },
    },
    config: { roles: READERS },
  }, async (req) => decisions.list(req.query))

  app.post('/v1/decisions/:id/replay', {
    schema: {
      tags, summary: 'Recompute a decision from its stored facts on the current or named versions, with the differences',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      body: Type.Object({
        ruleSetVersions: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ minLength: 1, maxLength: 64 }))),
        modelVersions: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ minLength: 1, maxLength: 64 }))),
      }, { additionalProperties: false }),
      response: { 200: Any('original, replayed, differences'), ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: ['risk', 'hq'] },
  }, async (req) => decisions.replay(req.params.id, req.body))

  app.post('/v1/rule-sets/:id/simulate', {
    bodyLimit: 8 * 1024 * 1024,
    schema: {
      tags: ['rule sets'], summary: 'Backtest a candidate (inline or a stored version) over stored decisions: swap matrix, approval-rate delta, rule hit rates, changed decisions',
      params: Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }) }),
      body: Type.Object({
        ruleSet: Type.Optional(Any('candidate rule set')), version: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        last: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 })),
        from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
        page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })), pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Any('simulation summary'), ...problems(...AUTH_PROBLEMS, 404, 413, 422) },
    },
    config: { roles: ['risk', 'hq'] },
  }, async (req) => decisions.simulate(req.params.id, req.body))
}
