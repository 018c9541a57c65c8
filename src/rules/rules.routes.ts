import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import type { RulesService } from './rules.service.js'

const WRITERS: Role[] = ['risk']
const READERS: Role[] = ['risk', 'hq']
const RULE_SET_BODY_LIMIT = 8 * 1024 * 1024

const IdParams = Type.Object({ id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }) })
const VersionParams = Type.Object({ ...IdParams.properties, version: Type.String({ minLength: 1, maxLength: 64 }) })
const AnyObject = (description: string) => Type.Object({}, { additionalProperties: true, description })

const VersionSchema = Type.Object({
  id: Type.String(), version: Type.String(), hash: Type.String(), status: Type.String(), proposedBy: Type.String(),
  approvedBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), activatedAt: Type.Union([Type.String(), Type.Null()]),
})
const VersionWithContentSchema = Type.Object({ ...VersionSchema.properties, content: AnyObject('The rule set (json-rules-engine rules in our envelope)') })
const EvaluateBodySchema = Type.Object({
  facts: AnyObject('Fact values by catalogue name'),
  ruleSet: Type.Optional(AnyObject('A candidate rule set to evaluate instead of the active one')),
  trace: Type.Optional(Type.Boolean({ description: 'Return per rule and per condition the fact value, operator, threshold and result' })),
}, { additionalProperties: false })
const EvaluationSchema = Type.Object({
  version: Type.String(),
  fired: Type.Array(Type.String()),
  events: Type.Array(Type.Object({ type: Type.String(), params: Type.Optional(AnyObject('event params with fact references resolved')) })),
  outcome: Type.String(),
  decision: AnyObject('The decision of the set per its `decision` kind: reasons, level, grade, limit, rate'),
  trace: Type.Optional(Type.Array(AnyObject('one rule'))),
})
const ProposalSchema = Type.Object({
  id: Type.String(), version: Type.String(), status: Type.String(), hash: Type.String(),
  warnings: Type.Array(AnyObject('a located lint warning')), cases: Type.Object({ run: Type.Integer(), failed: Type.Integer() }),
  backtest: Type.Optional(AnyObject('For admission, anti-fraud and strategy when decisions are stored: the simulation over the last 1,000 (swap matrix, approval-rate delta, rule hit rates, first page of changed decisions)')),
})

export function rulesRoutes(fastify: FastifyInstance, opts: { rules: RulesService }) {
  const app = typed(fastify)
  const { rules } = opts
  const tags = ['rule sets']

  app.get('/v1/rule-sets', {
    schema: { tags, summary: 'Active rule sets', response: { 200: Type.Object({ items: Type.Array(AnyObject('active rule set summary')) }), ...problems(...AUTH_PROBLEMS) } },
    config: { roles: READERS },
  }, async () => ({ items: rules.list() }))

  app.get('/v1/rule-sets/:id', {
    schema: { tags, summary: 'The active version of a rule set', params: IdParams, response: { 200: VersionWithContentSchema, ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: READERS },
  }, async (req) => rules.get(req.params.id))

  app.get('/v1/rule-sets/:id/versions', {
    schema: { tags, summary: 'Every version of a rule set, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(VersionSchema) }), ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: READERS },
  }, async (req) => ({ items: await rules.versions(req.params.id) }))

  app.get('/v1/rule-sets/:id/versions/:version', {
    schema: {
      tags, summary: 'One version with its content and its diff against the active version', params: VersionParams,
      response: { 200: Type.Object({ ...VersionWithContentSchema.properties, activeVersion: Type.Union([Type.String(), Type.Null()]), diffAgainstActive: Type.Union([AnyObject('rules added, removed and changed'), Type.Null()]) }), ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: READERS },
  }, async (req) => rules.version(req.params.id, req.params.version))

  app.post('/v1/rule-sets/:id/evaluate', {
    bodyLimit: RULE_SET_BODY_LIMIT,
    schema: { tags, summary: 'Dry run of the active or a candidate rule set on given facts', params: IdParams, body: EvaluateBodySchema, response: { 200: EvaluationSchema, ...problems(...AUTH_PROBLEMS, 404, 413, 422) } },
    config: { roles: READERS },
  }, async (req) => rules.evaluate(req.params.id, req.body as { facts: Record<string, unknown>; ruleSet?: unknown; trace?: boolean }))

  app.post('/v1/rule-sets/:id/versions', {
    bodyLimit: RULE_SET_BODY_LIMIT,
    schema: {
      tags, summary: 'Propose a version: lint and the set\'s test cases; 422 lists every located error', params: IdParams,
      body: AnyObject('A rule set: {id, version, description, decision, conditions?, rules}'), response: { 201: ProposalSchema, ...problems(...AUTH_PROBLEMS, 409, 413, 422) },
    },
    config: { roles: WRITERS },
  }, async (req, reply) => reply.code(201).send(await rules.propose(req.params.id, req.body, req.auth)))

  app.post('/v1/rule-sets/:id/versions/:version/approve', {
    schema: { tags, summary: 'Approve and activate a proposed version (a different key than the proposer\'s)', params: VersionParams, response: { 200: VersionWithContentSchema, ...problems(...AUTH_PROBLEMS, 404, 409) } },
    config: { roles: WRITERS },
  }, async (req) => rules.approve(req.params.id, req.params.version, req.auth))

  app.post('/v1/rule-sets/:id/rollback', {
    schema: { tags, summary: 'Re-activate an earlier version', params: IdParams, body: Type.Object({ version: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), response: { 200: VersionWithContentSchema, ...problems(...AUTH_PROBLEMS, 404, 409) } },
    config: { roles: WRITERS },
  }, async (req) => rules.rollback(req.params.id, req.body.version, req.auth))
}
