import { Type, type Static, type TSchema } from 'typebox'
import { UsccSchema, literals } from '../shared/schemas.js'
import { LEAD_SIGNALS } from '../rules/opportunity-types.js'
import { LEAD_GRADES } from './grading.js'
import { LEAD_STATUSES, LEAD_TARGETS } from './workflow.js'

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })
const BranchIdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })

export const MAX_OPPORTUNITY_BATCH = 10_000

/** One opportunity event of a batch (validated row by row; `type` is checked against the catalogue separately). */
export const OpportunityEventRowSchema = Type.Object({
  externalId: Type.String({ minLength: 1, maxLength: 128, pattern: '^\\S+$', description: 'The source\'s id: re-sending it is a no-op' }),
  uscc: UsccSchema,
  type: Type.String({ minLength: 1, maxLength: 64, description: 'An opportunity type code (rules/opportunity-types)' }),
  amount: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e15, description: 'Amount involved, yuan' }))),
  occurredAt: Type.String({ format: 'date-time', description: 'When it happened, with a time zone; not in the future' }),
  source: Type.String({ minLength: 1, maxLength: 64 }),
  payload: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true, maxProperties: 100, description: 'Source details' }))),
}, { additionalProperties: false })
export type OpportunityEventInput = Static<typeof OpportunityEventRowSchema>

export const OpportunityBatchSchema = Type.Object({
  events: Type.Array(Type.Object({}, { additionalProperties: true, description: 'An opportunity event: validated per row' }), { minItems: 1, maxItems: MAX_OPPORTUNITY_BATCH }),
}, { additionalProperties: false })

export const OpportunityIngestResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'Rows stored or already stored (idempotent on externalId)' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), errors: Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })) })),
  duplicates: Type.Integer({ description: 'Accepted rows whose externalId was already stored (nothing changed)' }),
  filtered: Type.Object({
    admission: Type.Integer({ description: 'Events of enterprises failing admission' }),
    blacklisted: Type.Integer(),
    highWarning: Type.Integer({ description: 'Events of enterprises with an open HIGH warning' }),
  }, { description: 'New events that opened no lead, by reason (first reason that applies, in this order: blacklisted, highWarning, admission)' }),
  leads: Type.Object({ created: Type.Integer(), updated: Type.Integer({ description: 'Open leads the events attached to' }) }),
})

export const LeadSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  uscc: Type.String(),
  signal: literals(LEAD_SIGNALS),
  grade: literals(LEAD_GRADES),
  score: Type.Number({ description: 'Marketing-response probability × signal weight (what the grade is cut from)' }),
  status: literals(LEAD_STATUSES),
  branchId: Nullable(Type.String({ description: 'Owning branch; null: head office' })),
  ownerId: Nullable(Type.String({ description: 'Relationship manager or the key that claimed the lead' })),
})
export type Lead = Static<typeof LeadSchema>

export const LeadDetailSchema = Type.Object({
  ...LeadSchema.properties,
  responseScore: Type.Number({ description: 'Marketing-response probability when graded' }),
  weight: Type.Number(),
  products: Type.Array(Type.String()),
  version: Type.Integer(),
  allowedNext: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  events: Type.Array(Type.Object({
    id: Type.String(), externalId: Type.String(), type: Type.String(), amount: Nullable(Type.Number()), occurredAt: Timestamp,
    source: Type.String(), payload: Type.Unknown(),
  })),
  history: Type.Array(Type.Object({ fromStatus: Nullable(Type.String()), toStatus: Type.String(), actor: Type.String(), note: Nullable(Type.String()), at: Timestamp })),
})

export const LeadPageSchema = Type.Object({ items: Type.Array(LeadSchema), nextCursor: Nullable(Type.String()) })

export const LeadListQuerySchema = Type.Object({
  uscc: Type.Optional(UsccSchema),
  branch: Type.Optional(BranchIdSchema),
  status: Type.Optional(literals(LEAD_STATUSES)),
  grade: Type.Optional(literals(LEAD_GRADES)),
  signal: Type.Optional(literals(LEAD_SIGNALS)),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
}, { additionalProperties: false })
export type LeadListQuery = Static<typeof LeadListQuerySchema>

export const LeadParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const BranchParamsSchema = Type.Object({ id: BranchIdSchema })

export const LeadTransitionBodySchema = Type.Object({
  to: literals(LEAD_TARGETS),
  note: Type.Optional(Type.String({ maxLength: 2000, description: 'Required when closing: the reason' })),
}, { additionalProperties: false })
export type LeadTransitionBody = Static<typeof LeadTransitionBodySchema>

export const ReachPathsSchema = Type.Object({
  uscc: Type.String(), maxHops: Type.Integer(),
  paths: Type.Array(Type.Unknown({ description: 'A shortest relation path to an existing customer, with the relation types along it' })),
})

export const NearbyQuerySchema = Type.Object({
  radiusKm: Type.Optional(Type.Number({ minimum: 1, maximum: 10, default: 5 })),
  minGrade: Type.Optional(literals(LEAD_GRADES)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
}, { additionalProperties: false })

export const NearbySchema = Type.Object({
  branchId: Type.String(), radiusKm: Type.Number(), candidates: Type.Integer({ description: 'Prospects inside the radius that were scored' }),
  truncated: Type.Boolean({ description: 'true when the bounding box held more prospects than are scored (2,000)' }),
  items: Type.Array(Type.Object({ uscc: Type.String(), name: Type.String(), distanceKm: Type.Number(), score: Type.Number(), grade: Type.String() })),
})

export const FunnelSchema = Type.Object({
  items: Type.Array(Type.Object({
    branchId: Nullable(Type.String()), signal: Type.String(),
    ...Object.fromEntries(LEAD_STATUSES.map((s) => [s, Type.Integer()])) as Record<(typeof LEAD_STATUSES)[number], ReturnType<typeof Type.Integer>>,
    total: Type.Integer(),
  })),
})

export const OverdueQuerySchema = Type.Object({
  days: Type.Integer({ minimum: 0, maximum: 3650 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
}, { additionalProperties: false })

export const OverdueSchema = Type.Object({ items: Type.Array(Type.Object({ ...LeadSchema.properties, createdAt: Timestamp })) })
