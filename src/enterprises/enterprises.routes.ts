import type { FastifyInstance } from 'fastify'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, BatchResultSchema, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import {
  EnterpriseInputSchema, EnterpriseListQuerySchema, EnterprisePageSchema, EnterpriseProfileSchema, EnterpriseSchema,
  UsccParamsSchema, batchBodySchema,
} from './enterprises.schemas.js'
import type { EnterprisesService } from './enterprises.service.js'
import type { BatchResult } from './batch.js'

const WRITERS: Role[] = ['data']
const READERS: Role[] = ['data', 'risk', 'hq', 'origination']

export function enterprisesRoutes(fastify: FastifyInstance, opts: { enterprises: EnterprisesService; batchBodyLimit: number }) {
  const app = typed(fastify)
  const { enterprises } = opts
  const tags = ['reference data']

  app.put('/v1/enterprises/:uscc', {
    schema: {
      tags, summary: 'Create or replace one enterprise (工商 registration data)',
      params: UsccParamsSchema, body: EnterpriseInputSchema,
      response: { 200: EnterpriseSchema, 201: EnterpriseSchema, ...problems(...AUTH_PROBLEMS, 413, 415) },
    },
    config: { roles: WRITERS },
  }, async (req, reply) => {
    const result = await enterprises.upsertOne(req.params.uscc, req.body, req.auth)
    return reply.code(result.created ? 201 : 200).send(result.enterprise)
  })

  app.get('/v1/enterprises/:uscc', {
    schema: {
      tags, summary: 'Enterprise profile with the latest tax summary and relation counts',
      params: UsccParamsSchema, response: { 200: EnterpriseProfileSchema, ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: READERS },
  }, async (req) => enterprises.profile(req.params.uscc))

  app.get('/v1/enterprises', {
    schema: {
      tags, summary: 'List enterprises (keyset pagination by USCC)',
      querystring: EnterpriseListQuerySchema, response: { 200: EnterprisePageSchema, ...problems(...AUTH_PROBLEMS) },
    },
    config: { roles: READERS },
  }, async (req) => enterprises.list(req.query))

  const batch = (path: string, key: string, rowName: string, summary: string, ingest: (rows: unknown[]) => Promise<BatchResult>) => {
    app.post(path, {
      bodyLimit: opts.batchBodyLimit,
      schema: {
        tags, summary: `${summary} (up to 10,000 rows; valid rows stored in one transaction, invalid rows reported)`,
        body: batchBodySchema(key, rowName),
        response: { 200: BatchResultSchema, ...problems(...AUTH_PROBLEMS, 413, 415) },
      },
      config: { roles: WRITERS },
    }, async (req) => ingest((req.body as Record<string, unknown[]>)[key]!))
  }
  batch('/v1/enterprises/batch', 'enterprises', 'enterprise with its uscc', 'Upsert enterprises', (r) => enterprises.ingestEnterprises(r))
  batch('/v1/persons/batch', 'persons', 'person {id, nameMasked, birthYear, blacklisted?}', 'Upsert persons', (r) => enterprises.ingestPersons(r))
  batch('/v1/relations/batch', 'relations', 'relation {type, fromType, fromId, toType, toId, ratio?, amount?, since?, until?}', 'Upsert relations', (r) => enterprises.ingestRelations(r))
  batch('/v1/tax-filings/batch', 'filings', 'tax filing {uscc, period, declaredRevenue, taxPaid, ...}', 'Upsert tax filings', (r) => enterprises.ingestTaxFilings(r))
  batch('/v1/branches/batch', 'branches', 'branch {id, name, parentId?, regionCode, lat, lng}', 'Upsert branches', (r) => enterprises.ingestBranches(r))
}

