import { Type, type TSchema } from 'typebox'

export const UsccSchema = Type.String({
  format: 'uscc', minLength: 18, maxLength: 18,
  description: 'Unified social credit code (统一社会信用代码, GB 32100-2015) with a valid check character',
  examples: ['91350100M000100Y43'],
})

export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String({ description: 'Stable snake_case error code' }),
  requestId: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({
    in: Type.String(), pointer: Type.String({ description: 'RFC 6901 JSON pointer' }), message: Type.String(),
  }, { additionalProperties: true }))),
}, { additionalProperties: true, description: 'RFC 9457 problem details' })

/** Problem responses for the given statuses, to spread into a route's `response` schema. */
export function problems(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {}
  for (const s of statuses) out[s] = ProblemSchema
  return out
}

/** The errors every authenticated route can answer. */
export const AUTH_PROBLEMS = [400, 401, 403] as const

export const CursorQuerySchema = {
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
}

export const BatchResultSchema = Type.Object({
  accepted: Type.Integer({ description: 'Rows stored (inserted or updated)' }),
  rejected: Type.Array(Type.Object({
    index: Type.Integer(),
    errors: Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })),
  })),
})

/** A string enum: typed as the union of its values, written as `enum` in the OpenAPI document. */
export const literals = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })
