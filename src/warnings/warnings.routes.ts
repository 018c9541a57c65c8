import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import { dailyReportXlsx, XLSX_CONTENT_TYPE } from './daily-report.js'
import {
  DailyReportQuerySchema, DailyReportSchema, EnterpriseParamsSchema, EnterpriseWarningReportSchema, FeedQuerySchema, FeedSchema,
  IngestResultSchema, RiskEventBatchSchema, SummaryQuerySchema, SummarySchema, TransitionBodySchema, TransitionHeadersSchema,
  WarningDetailSchema, WarningListQuerySchema, WarningPageSchema, WarningParamsSchema,
} from './warnings.schemas.js'
import type { WarningsService } from './warnings.service.js'

const INGEST: Role[] = ['data']
const WORKFLOW: Role[] = ['branch', 'hq']
const READERS: Role[] = ['branch', 'hq', 'risk']
const HQ: Role[] = ['hq']

const EventTypeSchema = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), defaultLevel: Type.String() })

export function warningsRoutes(fastify: FastifyInstance, opts: { warnings: WarningsService; batchBodyLimit: number }) {
  const app = typed(fastify)
  const { warnings } = opts
  const tags = ['warnings']

  app.post('/v1/risk-events/batch', {
    bodyLimit: opts.batchBodyLimit,
    schema: {
      tags, summary: 'Ingest risk events (up to 10,000; idempotent on externalId; invalid rows reported, valid ones classified and propagated in one transaction)',
      body: RiskEventBatchSchema, response: { 200: IngestResultSchema, ...problems(...AUTH_PROBLEMS, 413, 415, 503) },
    },
    config: { roles: INGEST },
  }, async (req) => warnings.ingest(req.body.events, req.auth))

  app.get('/v1/risk-events/types', {
    schema: { tags, summary: 'The risk event catalogue with default levels', response: { 200: Type.Array(EventTypeSchema), ...problems(...AUTH_PROBLEMS) } },
    config: { roles: [...INGEST, ...READERS] },
  }, async () => warnings.eventTypes())

  app.get('/v1/warnings', {
    schema: {
      tags, summary: 'List warnings, newest first (branch keys: their branch only)',
      querystring: WarningListQuerySchema, response: { 200: WarningPageSchema, ...problems(...AUTH_PROBLEMS) },
    },
    config: { roles: READERS },
  }, async (req) => warnings.list(req.query, req.auth))

  app.get('/v1/warnings/summary', {
    schema: {
      tags, summary: 'Head-office summary: branch × level, event types, daily trend and top branches (CST days, to inclusive)',
      querystring: SummaryQuerySchema, response: { 200: SummarySchema, ...problems(...AUTH_PROBLEMS) },
    },
    config: { roles: HQ },
  }, async (req) => warnings.summary(req.query.from, req.query.to))

  app.get('/v1/warnings/daily-report', {
    schema: {
      tags, summary: 'Branch daily report as JSON or as an Excel workbook (format=xlsx: sheets 汇总, 预警, 流转)',
      querystring: DailyReportQuerySchema,
      response: {
        200: { description: 'JSON report, or the workbook when format=xlsx', content: { 'application/json': { schema: DailyReportSchema }, [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } },
        ...problems(...AUTH_PROBLEMS, 404),
      },
    },
    config: { roles: WORKFLOW },
  }, async (req, reply) => {
    const report = await warnings.dailyReport(req.query, req.auth)
    if (req.query.format !== 'xlsx') return reply.type('application/json').send(report)
    const file = await dailyReportXlsx(report)
    return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="warnings-${report.branchId ?? 'all'}-${report.date}.xlsx"`).send(file as never)
  })

  app.get('/v1/warnings/feed', {
    schema: {
      tags, summary: 'Notifications (a warning reaching HIGH on a customer) after a cursor: keep nextCursor and read again to catch up',
      querystring: FeedQuerySchema, response: { 200: FeedSchema, ...problems(...AUTH_PROBLEMS) },
    },
    config: { roles: READERS },
  }, async (req) => warnings.feed(req.query.after, req.query.limit ?? 100, req.auth))

  app.get('/v1/warnings/:id', {
    schema: {
      tags, summary: 'A warning with its events, relation path and history (ETag: its version)',
      params: WarningParamsSchema, response: { 200: WarningDetailSchema, ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: READERS },
  }, async (req, reply) => {
    const w = await warnings.get(req.params.id, req.auth)
    return reply.header('etag', `"${w.version}"`).send(w)
  })

  app.post('/v1/warnings/:id/transitions', {
    schema: {
      tags, summary: 'Move a warning through OPEN → ACKNOWLEDGED → CONFIRMED | DISMISSED → REPORTED → CLOSED (expectedVersion or If-Match)',
      params: WarningParamsSchema, headers: TransitionHeadersSchema, body: TransitionBodySchema,
      response: { 200: WarningDetailSchema, ...problems(...AUTH_PROBLEMS, 404, 409, 415) },
    },
    config: { roles: WORKFLOW },
  }, async (req, reply) => {
    const w = await warnings.transition(req.params.id, req.body, req.headers['if-match'], req.auth)
    return reply.header('etag', `"${w.version}"`).send(w)
  })

  app.get('/v1/enterprises/:uscc/warning-report', {
    schema: {
      tags, summary: 'Enterprise warning report: direct warnings, related-party warnings by dimension, 12-month trend of risk events',
      params: EnterpriseParamsSchema, response: { 200: EnterpriseWarningReportSchema, ...problems(...AUTH_PROBLEMS, 404) },
    },
    config: { roles: READERS },
  }, async (req) => warnings.enterpriseReport(req.params.uscc, req.auth))
}
