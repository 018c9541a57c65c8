import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, literals, problems } from '../shared/schemas.js'
import { ROLES } from '../shared/roles.js'
import type { ApiKeysService } from './api-keys.service.js'

const RoleSchema = literals(ROLES)
const CreateKeySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  role: RoleSchema,
  branchId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false })
const KeySchema = Type.Object({
  id: Type.String(), name: Type.String(), role: Type.String(), branchId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(), revokedAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
})
const CreatedKeySchema = Type.Object({ ...KeySchema.properties, key: Type.String({ description: 'Shown once; only its SHA-256 is stored' }) })

export function apiKeysRoutes(fastify: FastifyInstance, opts: { apiKeys: ApiKeysService }) {
  const app = typed(fastify)
  const tags = ['api keys']
  app.post('/v1/api-keys', {
    schema: { tags, summary: 'Create an API key (the key is shown once)', body: CreateKeySchema, response: { 201: CreatedKeySchema, ...problems(...AUTH_PROBLEMS) } },
    config: { roles: ['admin'] },
  }, async (req, reply) => reply.code(201).send(await opts.apiKeys.create(req.body, req.auth)))

  app.get('/v1/api-keys', {
    schema: { tags, summary: 'List API keys (never the keys themselves)', response: { 200: Type.Object({ items: Type.Array(KeySchema) }), ...problems(...AUTH_PROBLEMS) } },
    config: { roles: ['admin'] },
  }, async () => ({ items: await opts.apiKeys.list() }))

  app.delete('/v1/api-keys/:id', {
    schema: { tags, summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: ['admin'] },
  }, async (req, reply) => {
    await opts.apiKeys.revoke(req.params.id, req.auth)
    return reply.code(204).send(null)
  })
}
