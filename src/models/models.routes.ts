import multipart from '@fastify/multipart'
import type { FastifyInstance } from 'fastify'
import { typed } from '../http/typed.js'
import { ValidationError } from '../shared/errors.js'
import type { Role } from '../shared/roles.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import {
  BatchScoreRequestSchema, BatchScoreResponseSchema, DeployResponseSchema, ModelListSchema, ModelNameParams, ModelSchema, ModelVersionParams,
  MonitoringQuerySchema, MonitoringSchema, PromoteRequestSchema, ScoreRequestSchema, ScoreResponseSchema,
} from './models.schemas.js'
import type { ModelsService } from './models.service.js'

const WRITERS: Role[] = ['model']
const READERS: Role[] = ['model', 'risk', 'hq']
const SCORERS: Role[] = ['model', 'risk', 'origination']
/** The largest model.onnx (and manifest, reference) accepted: a bigger part is refused with 413. */
export const MODEL_FILE_LIMIT = 50 * 1024 * 1024
const BATCH_BODY_LIMIT = 32 * 1024 * 1024
const PARTS = ['model', 'manifest', 'reference'] as const

export function modelsRoutes(fastify: FastifyInstance, opts: { models: ModelsService }) {
  const { models } = opts
  const tags = ['models']

  // Multipart parsing only in this scope: every other route keeps JSON-only bodies.
  fastify.register(async (scoped) => {
    await scoped.register(multipart, { limits: { fileSize: MODEL_FILE_LIMIT, files: 3, fields: 0, parts: 3, headerPairs: 100 } })
    const app = typed(scoped)

    app.post('/v1/models/:name/versions', {
      schema: {
        tags, consumes: ['multipart/form-data'], params: ModelNameParams,
        summary: 'Deploy a version: multipart parts model (model.onnx), manifest (manifest.json), reference (reference.json); contract checks; stored as staged',
        description: `Each part at most ${MODEL_FILE_LIMIT / 1024 / 1024} MB (413 above). 422 lists every failed check with its location; nothing serving changes.`,
        response: { 201: DeployResponseSchema, ...problems(...AUTH_PROBLEMS, 409, 413, 415, 422) },
      },
      config: { roles: WRITERS },
    }, async (req, reply) => {
      if (!req.isMultipart()) throw new ValidationError('Send multipart/form-data with parts model, manifest and reference', [{ in: 'headers', pointer: '/content-type', message: 'must be multipart/form-data' }])
      const got: Partial<Record<(typeof PARTS)[number], Buffer>> = {}
      for await (const part of req.parts()) {
        if (part.type !== 'file' || !(PARTS as readonly string[]).includes(part.fieldname)) {
          if (part.type === 'file') await part.toBuffer()
          throw new ValidationError(`Unexpected part '${part.fieldname}'`, [{ in: 'body', pointer: `/${part.fieldname}`, message: `is not one of ${PARTS.join(', ')} (send each as a file)` }])
        }
        got[part.fieldname as (typeof PARTS)[number]] = await part.toBuffer()
      }
      if (!got.model) throw new ValidationError('The model part (model.onnx) is required', [{ in: 'body', pointer: '/model', message: 'is required' }])
      const created = await models.deploy(req.params.name, { onnx: new Uint8Array(got.model), manifest: got.manifest, reference: got.reference }, req.auth)
      return reply.code(201).send(created)
    })
  })

  const app = typed(fastify)

  app.post('/v1/models/:name/versions/:version/promote', {
    schema: {
      tags, summary: 'Make a stored version champion, challenger (with a traffic share) or shadow', params: ModelVersionParams, body: PromoteRequestSchema,
      response: { 200: ModelSchema, ...problems(...AUTH_PROBLEMS, 404, 409) },
    },
    config: { roles: WRITERS },
  }, async (req) => models.promote(req.params.name, req.params.version, req.body, req.auth))

  app.post('/v1/models/:name/rollback', {
    schema: { tags, summary: 'Bring the previous champion back (409 when there is none)', params: ModelNameParams, response: { 200: ModelSchema, ...problems(...AUTH_PROBLEMS, 404, 409) } },
    config: { roles: WRITERS },
  }, async (req) => models.rollback(req.params.name, req.auth))

  app.get('/v1/models', {
    schema: { tags, summary: 'Every model with its champion, challenger and shadows', response: { 200: ModelListSchema, ...problems(...AUTH_PROBLEMS) } },
    config: { roles: READERS },
  }, async () => ({ items: await models.list() }))

  app.get('/v1/models/:name', {
    schema: { tags, summary: 'A model\'s versions, roles, traffic and training metrics', params: ModelNameParams, response: { 200: ModelSchema, ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: READERS },
  }, async (req) => models.get(req.params.name))

  app.post('/v1/models/:name/score', {
    schema: {
      tags, summary: 'Score one enterprise (by uscc, features from the feature store) or one feature record: PD, score, grade, points per feature, top four reasons',
      params: ModelNameParams, body: ScoreRequestSchema, response: { 200: ScoreResponseSchema, ...problems(...AUTH_PROBLEMS, 404, 422) },
    },
    config: { roles: SCORERS },
  }, async (req) => {
    const { uscc, features, explain, version } = req.body
    if ((uscc === undefined) === (features === undefined)) {
      throw new ValidationError('Give exactly one of uscc or features', [{ in: 'body', pointer: uscc === undefined ? '/uscc' : '/features', message: 'exactly one of uscc or features is required' }])
    }
    return models.score(req.params.name, uscc !== undefined ? { uscc } : { features: features! }, { explain: explain ?? true, ...(version !== undefined ? { version } : {}) })
  })

  app.post('/v1/models/:name/score/batch', {
    bodyLimit: BATCH_BODY_LIMIT,
    schema: {
      tags, summary: 'Score up to 10,000 rows in one model run; per-row explanations with explain: true; bad rows are rejected one by one',
      params: ModelNameParams, body: BatchScoreRequestSchema, response: { 200: BatchScoreResponseSchema, ...problems(...AUTH_PROBLEMS, 404, 413) },
    },
    config: { roles: SCORERS },
  }, async (req) => {
    const rejected: Array<{ index: number; errors: Array<{ pointer: string; message: string }> }> = []
    const rows = req.body.rows.map((r, index) => {
      if ((r.uscc === undefined) === (r.features === undefined)) rejected.push({ index, errors: [{ pointer: `/rows/${index}`, message: 'exactly one of uscc or features is required' }] })
      return r.uscc !== undefined && r.features !== undefined ? {} : r
    })
    const result = await models.scoreBatch(req.params.name, rows, { explain: req.body.explain === true })
    const merged = [...result.rejected.filter((x) => !rejected.some((y) => y.index === x.index)), ...rejected].sort((a, b) => a.index - b.index)
    return { items: result.items, rejected: merged }
  })

  app.get('/v1/models/:name/monitoring', {
    schema: {
      tags, summary: 'Rolling drift: score PSI and per-feature CSI against the manifest baseline (0.1 moderate, 0.25 major), missing rate per data source, volumes',
      params: ModelNameParams, querystring: MonitoringQuerySchema, response: { 200: MonitoringSchema, ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: READERS },
  }, async (req) => models.monitoring(req.params.name, req.query.window))
}

