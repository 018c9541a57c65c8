import { Type, type Static } from 'typebox'
import { UsccSchema, literals } from '../shared/schemas.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })
const Yuan = (description: string) => Type.Number({ minimum: 0, maximum: 1e15, description })

export const ENTERPRISE_STATUSES = ['ACTIVE', 'ABNORMAL', 'REVOKED', 'CANCELLED'] as const
export const RELATION_TYPES = [
  'SHAREHOLDER', 'EXECUTIVE', 'LEGAL_REP', 'INVESTMENT', 'SUPPLIER', 'CUSTOMER', 'GUARANTEE', 'SAME_PHONE', 'SAME_ADDRESS',
] as const
export const TAX_GRADES = ['A', 'B', 'M', 'C', 'D'] as const

const enterpriseFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  establishedOn: Type.String({ format: 'past-date', description: 'Establishment date (YYYY-MM-DD), not in the future' }),
  registeredCapital: Yuan('Registered capital in yuan'),
  paidInCapital: Type.Optional(Nullable(Yuan('Paid-in capital in yuan'))),
  industryCode: Type.String({ pattern: '^[A-T](\\d{2,4})?$', description: 'GB/T 4754 code: section letter and 2-4 digits, e.g. C3311' }),
  regionCode: Type.String({ pattern: '^\\d{6}$', description: '6-digit administrative division code' }),
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  lat: Type.Optional(Nullable(Type.Number({ minimum: -90, maximum: 90 }))),
  lng: Type.Optional(Nullable(Type.Number({ minimum: -180, maximum: 180 }))),
  status: literals(ENTERPRISE_STATUSES),
  employees: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
  isListed: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  phoneHash: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 128 }))),
  addressHash: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 128 }))),
  legalRepPersonId: Type.Optional(Nullable(IdSchema)),
  customerBranchId: Type.Optional(Nullable(IdSchema)),
  relationshipManagerId: Type.Optional(Nullable(IdSchema)),
  blacklisted: Type.Optional(Type.Boolean()),
}

export const EnterpriseInputSchema = Type.Object(enterpriseFields, { additionalProperties: false })
export type EnterpriseInput = Static<typeof EnterpriseInputSchema>
export const EnterpriseBatchRowSchema = Type.Object({ uscc: UsccSchema, ...enterpriseFields }, { additionalProperties: false })

export const PersonRowSchema = Type.Object({
  id: IdSchema,
  nameMasked: Type.String({ minLength: 1, maxLength: 100 }),
  birthYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
  idHash: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 128 }))),
  blacklisted: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

export const RelationRowSchema = Type.Object({
  type: literals(RELATION_TYPES),
  fromType: literals(['enterprise', 'person'] as const),
  fromId: IdSchema,
  toType: literals(['enterprise', 'person'] as const),
  toId: IdSchema,
  ratio: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'SHAREHOLDER: share of `to` held by `from`' }))),
  amount: Type.Optional(Nullable(Yuan('GUARANTEE: guaranteed amount in yuan'))),
  since: Type.Optional(Nullable(Type.String({ format: 'past-date' }))),
  until: Type.Optional(Nullable(Type.String({ format: 'date' }))),
}, { additionalProperties: false })

export const TaxFilingRowSchema = Type.Object({
  uscc: UsccSchema,
  period: Type.String({ format: 'period', description: 'YYYY-MM' }),
  declaredRevenue: Type.Number({ minimum: -1e15, maximum: 1e15, description: 'Declared revenue in yuan (negative filings exist)' }),
  taxPaid: Yuan('Tax paid in yuan'),
  zeroFiling: Type.Optional(Type.Boolean()),
  late: Type.Optional(Type.Boolean()),
  grade: Type.Optional(Nullable(literals(TAX_GRADES))),
  arrears: Type.Optional(Type.Boolean()),
}, { additionalProperties: false })

export const BranchRowSchema = Type.Object({
  id: IdSchema,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  parentId: Type.Optional(Nullable(IdSchema)),
  regionCode: Type.String({ pattern: '^\\d{6}$' }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
}, { additionalProperties: false })

export const MAX_BATCH_ROWS = 10_000

/** A batch body: rows are validated one by one so that one bad row does not sink the others. */
export function batchBodySchema(key: string, rowName: string) {
  return Type.Object({
    [key]: Type.Array(Type.Object({}, { additionalProperties: true, description: `A ${rowName}: validated per row` }), {
      minItems: 1, maxItems: MAX_BATCH_ROWS,
    }),
  }, { additionalProperties: false })
}

export const EnterpriseSchema = Type.Object({
  uscc: Type.String(),
  ...enterpriseFields,
  establishedOn: Type.String({ format: 'date' }),
  paidInCapital: Nullable(Type.Number()),
  updatedAt: Type.String({ format: 'date-time' }),
})

export const EnterpriseProfileSchema = Type.Object({
  ...EnterpriseSchema.properties,
  taxSummary: Nullable(Type.Object({
    latestPeriod: Type.String(),
    grade: Nullable(Type.String()),
    revenue12m: Type.Number(),
    taxPaid12m: Type.Number(),
    zeroFilingMonths12m: Type.Integer(),
    lateFilings12m: Type.Integer(),
    arrears: Type.Boolean(),
  })),
  relationCounts: Type.Record(Type.String(), Type.Integer()),
})

export const EnterpriseListQuerySchema = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  region: Type.Optional(Type.String({ pattern: '^\\d{2,6}$', description: 'Region code or its prefix (e.g. 3301)' })),
  industry: Type.Optional(Type.String({ pattern: '^[A-T]\\d{0,4}$', description: 'Industry code or its prefix' })),
  customer: Type.Optional(Type.Boolean({ description: 'true: existing customers only; false: prospects only' })),
}, { additionalProperties: false })

export const EnterprisePageSchema = Type.Object({
  items: Type.Array(EnterpriseSchema),
  nextCursor: Nullable(Type.String()),
})

export const UsccParamsSchema = Type.Object({ uscc: UsccSchema })
