import { Type, type Static, type TSchema } from 'typebox'
import { UsccSchema, literals } from '../shared/schemas.js'
import { WARNING_LEVELS, RELATION_TYPES as DIMENSIONS } from '../rules/event-types.js'
import { WARNING_ACTIONS, WARNING_STATUSES } from './workflow.js'

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Timestamp = Type.String({ format: 'date-time' })
const BranchIdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })
const DateSchema = Type.String({ format: 'date', description: 'Calendar day (YYYY-MM-DD), China Standard Time' })

export const MAX_EVENT_BATCH = 10_000

/** One risk event of a batch (validated row by row; `type` is checked against the catalogue separately). */
export const RiskEventRowSchema = Type.Object({
  externalId: Type.String({ minLength: 1, maxLength: 128, pattern: '^\\S+$', description: 'The source\'s id: re-sending it is a no-op' }),
  uscc: UsccSchema,
  type: Type.String({ minLength: 1, maxLength: 64, description: 'A code of the risk event catalogue (GET /v1/risk-events/types)' }),
  occurredAt: Type.String({ format: 'date-time', description: 'When it happened, with a time zone; not in the future' }),
  severity: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5, description: 'Source severity, 1 (minor) to 5 (severe)' }))),
  amount: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e15, description: 'Amount involved, yuan' }))),
  source: Type.String({ minLength: 1, maxLength: 64 }),
  payload: Type.Optional(Nullable(Type.Object({}, {
    additionalProperties: true, maxProperties: 100,
    description: 'Source details; sentiment, durationDays, changeRatio, ratio and newTaxGrade here feed the warning-levels rules',
  }))),
}, { additionalProperties: false })

export const RiskEventBatchSchema = Type.Object({
  events: Type.Array(Type.Object({}, { additionalProperties: true, description: 'A risk event: validated per row' }), { minItems: 1, maxItems: MAX_EVENT_BATCH }),
}, { additionalProperties: false })

export const IngestResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'Rows stored or already stored (idempotent on externalId)' }),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), errors: Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })) })),
  duplicates: Type.Integer({ description: 'Accepted rows whose externalId was already stored (nothing changed)' }),
  warnings: Type.Object({
    created: Type.Integer(), escalated: Type.Integer(), attached: Type.Integer(), merged: Type.Integer(),
    propagated: Type.Integer({ description: 'Related-party warnings created or escalated' }),
  }),
})

const PathSchema = Type.Object({
  dimension: literals(DIMENSIONS),
  depth: Type.Integer(),
  nodes: Type.Array(Type.Object({ id: Type.String(), kind: Type.String() })),
  hops: Type.Array(Type.Object({ relation: Type.String(), from: Type.String(), to: Type.String(), ratio: Nullable(Type.Number()), amount: Nullable(Type.Number()) })),
  shareholdingRatio: Nullable(Type.Number()),
  tradeShare: Nullable(Type.Number()),
  guaranteeRole: Nullable(Type.String()),
})

export const WarningSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  uscc: Type.String(),
  enterpriseName: Nullable(Type.String()),
  level: literals(WARNING_LEVELS),
  levelZh: Type.String({ description: '预警 (HIGH), 关注 (MEDIUM), 提示 (LOW)' }),
  status: literals(WARNING_STATUSES),
  resolution: Nullable(Type.String()),
  branchId: Nullable(Type.String({ description: 'Owning branch; null: head office only' })),
  eventType: Type.String(),
  eventTypeZh: Type.String(),
  kind: literals(['direct', 'propagated'] as const),
  propagatedFromUscc: Nullable(Type.String()),
  propagatedFromWarningId: Nullable(Type.String()),
  dimension: Nullable(Type.String()),
  path: Nullable(PathSchema),
  reasons: Type.Array(Type.String()),
  eventCount: Type.Integer(),
  mergedCount: Type.Integer(),
  firstEventAt: Timestamp,
  lastEventAt: Timestamp,
  version: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Warning = Static<typeof WarningSchema>

export const WarningEventSchema = Type.Object({
  id: Type.String(), externalId: Type.String(), uscc: Type.String(), type: Type.String(), level: Nullable(Type.String()),
  role: Type.String({ description: 'created, escalated, attached, merged or propagated' }),
  occurredAt: Timestamp, severity: Nullable(Type.Integer()), amount: Nullable(Type.Number()), source: Type.String(),
  payload: Type.Unknown(),
})

export const HistoryEntrySchema = Type.Object({
  action: Type.String(), fromStatus: Nullable(Type.String()), toStatus: Type.String(), fromLevel: Nullable(Type.String()),
  toLevel: Type.String(), version: Type.Integer(), actor: Type.String(), comment: Nullable(Type.String()), at: Timestamp,
})

export const WarningDetailSchema = Type.Object({
  ...WarningSchema.properties,
  allowedActions: Type.Array(Type.String()),
  events: Type.Array(WarningEventSchema),
  history: Type.Array(HistoryEntrySchema),
})

export const WarningPageSchema = Type.Object({ items: Type.Array(WarningSchema), nextCursor: Nullable(Type.String()) })

export const WarningListQuerySchema = Type.Object({
  uscc: Type.Optional(UsccSchema),
  branch: Type.Optional(BranchIdSchema),
  level: Type.Optional(literals(WARNING_LEVELS)),
  status: Type.Optional(literals(WARNING_STATUSES)),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Z0-9_]+$' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (inclusive)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (exclusive)' })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
}, { additionalProperties: false })

export const WarningParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const EnterpriseParamsSchema = Type.Object({ uscc: UsccSchema })

export const TransitionBodySchema = Type.Object({
  action: literals(WARNING_ACTIONS),
  comment: Type.Optional(Type.String({ maxLength: 2000 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'Optimistic concurrency; or send If-Match' })),
}, { additionalProperties: false })
export type TransitionBody = Static<typeof TransitionBodySchema>

export const TransitionHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 64, description: 'The version seen, e.g. "3" (the ETag of GET /v1/warnings/{id})' })),
})

const LevelCounts = { HIGH: Type.Integer(), MEDIUM: Type.Integer(), LOW: Type.Integer(), total: Type.Integer() }

export const EnterpriseWarningReportSchema = Type.Object({
  uscc: Type.String(),
  name: Type.String(),
  branchId: Nullable(Type.String()),
  direct: Type.Array(WarningSchema),
  related: Type.Object(Object.fromEntries(DIMENSIONS.map((d) => [d, Type.Array(WarningSchema)])) as Record<(typeof DIMENSIONS)[number], ReturnType<typeof Type.Array<typeof WarningSchema>>>),
  trend: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM (China Standard Time)' }), events: Type.Integer(), ...LevelCounts })),
})

export const SummaryQuerySchema = Type.Object({
  from: DateSchema,
  to: Type.String({ format: 'date', description: 'Last day included (YYYY-MM-DD); at most 366 days after from' }),
}, { additionalProperties: false })

export const SummarySchema = Type.Object({
  from: Type.String(), to: Type.String(), total: Type.Integer(),
  byBranch: Type.Array(Type.Object({ branchId: Nullable(Type.String()), ...LevelCounts })),
  byEventType: Type.Array(Type.Object({ type: Type.String(), zh: Type.String(), count: Type.Integer() })),
  daily: Type.Array(Type.Object({ date: Type.String(), ...LevelCounts })),
  topBranches: Type.Array(Type.Object({ branchId: Type.String(), HIGH: Type.Integer(), total: Type.Integer() })),
})

export const DailyReportQuerySchema = Type.Object({
  branch: Type.Optional(BranchIdSchema),
  date: DateSchema,
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
}, { additionalProperties: false })

export const DailyReportSchema = Type.Object({
  date: Type.String(),
  branchId: Nullable(Type.String({ description: 'null: every branch (head office)' })),
  summary: Type.Object({
    created: Type.Object(LevelCounts), transitions: Type.Integer(),
    openNow: Type.Integer({ description: 'Warnings still OPEN (not yet acknowledged) now' }),
    highOnCustomers: Type.Integer({ description: 'HIGH notifications on customers that day' }),
    truncated: Type.Boolean({ description: 'true when the day had more warnings or transitions than listed (20,000 each)' }),
  }),
  warnings: Type.Array(WarningSchema),
  transitions: Type.Array(Type.Object({ warningId: Type.String(), uscc: Type.String(), ...HistoryEntrySchema.properties })),
})

export const FeedQuerySchema = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 128, description: 'nextCursor of the previous read; omit to start at the beginning' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
}, { additionalProperties: false })

export const FeedSchema = Type.Object({
  items: Type.Array(Type.Object({
    cursor: Type.String(), warningId: Type.String(), uscc: Type.String(), branchId: Nullable(Type.String()), level: Type.String(),
    kind: Type.String(), payload: Type.Unknown(), createdAt: Timestamp,
  })),
  nextCursor: Type.String({ description: 'Pass as `after` next time (unchanged when nothing new)' }),
})
