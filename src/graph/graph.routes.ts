import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { RELATION_TYPES, UsccParamsSchema } from '../enterprises/enterprises.schemas.js'
import { ConflictError, ValidationError } from '../shared/errors.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import type { RelationType } from '../enterprises/enterprises.types.js'
import type { GraphService } from './graph.service.js'

const READERS: Role[] = ['risk', 'hq', 'origination', 'branch', 'data']
const Any = (description: string) => Type.Object({}, { additionalProperties: true, description })

const GraphQuerySchema = Type.Object({
  depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 1 })),
  types: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated relation types: ${RELATION_TYPES.join(', ')}` })),
  maxNodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 200 })),
}, { additionalProperties: false })
const PathsQuerySchema = Type.Object({
  to: Type.Optional(Type.Unsafe<'customers'>({ type: 'string', enum: ['customers'], default: 'customers' })),
  maxHops: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 3 })),
}, { additionalProperties: false })

function parseTypes(raw: string | undefined): RelationType[] | undefined {
  if (!raw) return undefined
  const types = raw.split(',').map((t) => t.trim()).filter(Boolean)
  const unknown = types.filter((t) => !(RELATION_TYPES as readonly string[]).includes(t))
  if (unknown.length > 0) throw new ValidationError(`Unknown relation type(s): ${unknown.join(', ')}`, [{ in: 'querystring', pointer: '/types', message: `unknown: ${unknown.join(', ')}` }])
  return types as RelationType[]
}

export function graphRoutes(fastify: FastifyInstance, opts: { graph: GraphService }) {
  const app = typed(fastify)
  const { graph } = opts
  const tags = ['graph']

  app.post('/v1/graph/recompute', {
    schema: {
      tags, summary: 'Full recompute of graph features into feature_rows (409 while one runs); wait=true answers when done',
      querystring: Type.Object({ wait: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
      response: { 200: Any('the finished snapshot'), 202: Type.Object({ status: Type.String() }), ...problems(...AUTH_PROBLEMS, 409) },
    },
    config: { roles: ['admin'] },
  }, async (req, reply) => {
    if (graph.isRunning()) throw new ConflictError('A graph recompute is already running', 'recompute_running')
    const job = graph.recompute()
    if (req.query.wait) return job
    job.catch((err) => req.log.error({ err }, 'graph recompute failed'))
    return reply.code(202).send({ status: 'started' })
  })

  app.get('/v1/enterprises/:uscc/graph', {
    schema: { tags, summary: 'Neighbourhood subgraph (capped in size)', params: UsccParamsSchema, querystring: GraphQuerySchema, response: { 200: Any('nodes, edges, truncated'), ...problems(...AUTH_PROBLEMS, 404, 503) } },
    config: { roles: READERS },
  }, async (req) => graph.neighbourhood(req.params.uscc, req.query.depth ?? 1, parseTypes(req.query.types), req.query.maxNodes ?? 200))

  app.get('/v1/enterprises/:uscc/paths', {
    schema: { tags, summary: 'Shortest relation paths to existing customers, each with its nodes and edge types', params: UsccParamsSchema, querystring: PathsQuerySchema, response: { 200: Any('paths'), ...problems(...AUTH_PROBLEMS, 404, 503) } },
    config: { roles: READERS },
  }, async (req) => graph.pathsToCustomers(req.params.uscc, req.query.maxHops ?? 3))
}
