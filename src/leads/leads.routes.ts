import type { FastifyInstance } from 'fastify'
import { typed } from '../http/typed.js'
import { AUTH_PROBLEMS, problems } from '../shared/schemas.js'
import type { Role } from '../shared/roles.js'
import {
  BranchParamsSchema, FunnelSchema, LeadDetailSchema, LeadListQuerySchema, LeadPageSchema, LeadParamsSchema, LeadTransitionBodySchema,
  NearbyQuerySchema, NearbySchema, OpportunityBatchSchema, OpportunityIngestResultSchema, OverdueQuerySchema, OverdueSchema, ReachPathsSchema,
} from './leads.schemas.js'
import type { LeadsService } from './leads.service.js'

const INGEST: Role[] = ['data']
const WORKFLOW: Role[] = ['branch', 'hq']

export function leadsRoutes(fastify: FastifyInstance, opts: { leads: LeadsService; batchBodyLimit: number }) {
  const app = typed(fastify)
  const { leads } = opts
  const tags = ['leads']

  app.post('/v1/opportunity-events/batch', {
    bodyLimit: opts.batchBodyLimit,
    schema: {
      tags, summary: 'Ingest opportunity events (up to 10,000; idempotent on externalId): filter, grade and open or raise one lead per enterprise and signal',
      body: OpportunityBatchSchema, response: { 200: OpportunityIngestResultSchema, ...problems(...AUTH_PROBLEMS, 413, 415, 503) },
    },
    config: { roles: INGEST },
  }, async (req) => leads.ingest(req.body.events, req.auth))

  app.get('/v1/leads', {
    schema: { tags, summary: 'List leads, newest first (branch keys: their branch only)', querystring: LeadListQuerySchema, response: { 200: LeadPageSchema, ...problems(...AUTH_PROBLEMS) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.list(req.query, req.auth))

  app.get('/v1/leads/summary', {
    schema: { tags, summary: 'The lead funnel: counts by branch and signal per status', response: { 200: FunnelSchema, ...problems(...AUTH_PROBLEMS) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.summary(req.auth))

  app.get('/v1/leads/overdue', {
    schema: { tags, summary: 'UNCLAIMED leads older than `days` days, oldest first', querystring: OverdueQuerySchema, response: { 200: OverdueSchema, ...problems(...AUTH_PROBLEMS) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.overdue(req.query.days, req.query.limit ?? 200, req.auth))

  app.get('/v1/leads/:id', {
    schema: { tags, summary: 'A lead with its events and history', params: LeadParamsSchema, response: { 200: LeadDetailSchema, ...problems(...AUTH_PROBLEMS, 404) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.get(req.params.id, req.auth))

  app.post('/v1/leads/:id/claim', {
    schema: { tags, summary: 'Claim an UNCLAIMED lead (→ FOLLOWING); of concurrent claims exactly one wins, the others get 409', params: LeadParamsSchema, response: { 200: LeadDetailSchema, ...problems(...AUTH_PROBLEMS, 404, 409) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.claim(req.params.id, req.auth))

  app.post('/v1/leads/:id/transitions', {
    schema: {
      tags, summary: 'Move a lead FOLLOWING → PROPOSED → WON | CLOSED (closing needs a note giving the reason)',
      params: LeadParamsSchema, body: LeadTransitionBodySchema, response: { 200: LeadDetailSchema, ...problems(...AUTH_PROBLEMS, 404, 409, 415) },
    },
    config: { roles: WORKFLOW },
  }, async (req) => leads.transition(req.params.id, req.body, req.auth))

  app.get('/v1/leads/:id/reach-paths', {
    schema: { tags, summary: 'Shortest relation paths (≤ 3 hops) from the lead\'s enterprise to existing customers (敲门路径)', params: LeadParamsSchema, response: { 200: ReachPathsSchema, ...problems(...AUTH_PROBLEMS, 404, 503) } },
    config: { roles: WORKFLOW },
  }, async (req) => leads.reachPaths(req.params.id, req.auth))

  app.get('/v1/branches/:id/nearby-prospects', {
    schema: {
      tags, summary: 'Prospects (not yet customers) within radiusKm (1-10) of the branch, ranked by marketing-response score (周边获客)',
      params: BranchParamsSchema, querystring: NearbyQuerySchema, response: { 200: NearbySchema, ...problems(...AUTH_PROBLEMS, 404, 503) },
    },
    config: { roles: WORKFLOW },
  }, async (req) => leads.nearbyProspects(req.params.id, req.query, req.auth))
}
