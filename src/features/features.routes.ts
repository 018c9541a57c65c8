import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { UsccParamsSchema } from '../enterprises/enterprises.schemas.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import { FEATURES } from './catalog.js'
import type { FeaturesService } from './features.service.js'

const READERS: Role[] = ['risk', 'model', 'origination', 'hq', 'data']

const FeatureDefSchema = Type.Object({
  name: Type.String(), type: Type.String(), unit: Type.String(), source: Type.String(), zh: Type.String(), en: Type.String(),
  range: Type.Optional(Type.Object({ min: Type.Number(), max: Type.Number() })),
  categories: Type.Optional(Type.Array(Type.String())),
  missing: Type.String(), monotone: Type.Integer(),
})
const FeatureValueSchema = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()])
const FeatureVectorSchema = Type.Object({
  uscc: Type.String(),
  snapshotId: Type.Union([Type.String(), Type.Null()], { description: 'Graph snapshot the graph features come from' }),
  values: Type.Record(Type.String(), FeatureValueSchema),
  provenance: Type.Record(Type.String(), Type.String()),
})

export function featuresRoutes(fastify: FastifyInstance, opts: { features: FeaturesService }) {
  const app = typed(fastify)
  const tags = ['features']
  app.get('/v1/features/catalog', {
    schema: { tags, summary: 'Every feature: type, unit, source, zh/en description, range, missing policy, monotone direction', response: { 200: Type.Object({ items: Type.Array(FeatureDefSchema) }), ...problems(...AUTH_PROBLEMS) } },
    config: { roles: READERS },
  }, async () => ({ items: FEATURES.map((f) => ({ ...f, categories: f.categories ? [...f.categories] : undefined })) }))

  app.get('/v1/enterprises/:uscc/features', {
    schema: { tags, summary: "One enterprise's assembled feature vector (one query) with each value's source", params: UsccParamsSchema, response: { 200: FeatureVectorSchema, ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: READERS },
  }, async (req) => opts.features.forEnterprise(req.params.uscc))
}
