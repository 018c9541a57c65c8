import { Type, type Static } from 'typebox'
import { UsccSchema, literals } from '../shared/schemas.js'
import { MODEL_ROLES } from './models.table.js'

export const MAX_BATCH_ROWS = 10_000

export const ModelNameParams = Type.Object({ name: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }) })
export const ModelVersionParams = Type.Object({ ...ModelNameParams.properties, version: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$' }) })

export const FeatureValuesSchema = Type.Record(Type.String({ maxLength: 128 }), Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 256 }), Type.Null()]), {
  description: 'Feature values by catalogue name (one-hot columns may be given as the category column); absent = missing', maxProperties: 2000,
})

export const ScoreRequestSchema = Type.Object({
  uscc: Type.Optional(UsccSchema),
  features: Type.Optional(FeatureValuesSchema),
  explain: Type.Optional(Type.Boolean({ default: true, description: 'Points per feature and the top four adverse reasons (TreeSHAP)' })),
  version: Type.Optional(Type.String({ maxLength: 64, description: 'Score with this stored version instead of the routed one (replay); not logged for monitoring' })),
}, { additionalProperties: false, description: 'Exactly one of uscc (features from the feature store) or features' })

export const BatchRowSchema = Type.Object({ uscc: Type.Optional(UsccSchema), features: Type.Optional(FeatureValuesSchema) }, { additionalProperties: false })
export const BatchScoreRequestSchema = Type.Object({
  rows: Type.Array(BatchRowSchema, { minItems: 1, maxItems: MAX_BATCH_ROWS }),
  explain: Type.Optional(Type.Boolean({ default: false, description: 'Per-row points and reasons (TreeSHAP per row: slower)' })),
}, { additionalProperties: false })

export const ScoreResponseSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  role: literals(MODEL_ROLES),
  pd: Type.Number({ description: 'Probability of default (or response), from the ONNX model' }),
  margin: Type.Number({ description: 'Log-odds of pd' }),
  score: Type.Number({ description: 'Scorecard points = offset − factor·margin, to 0.01' }),
  grade: Type.String(),
  basePoints: Type.Number({ description: 'basePoints + Σ contributions.points = score (exactly, in 0.01); equals score when not explained' }),
  contributions: Type.Array(Type.Object({ feature: Type.String(), value: Type.Union([Type.Number(), Type.Null()]), points: Type.Number() })),
  reasons: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), points: Type.Number() }), { maxItems: 4 }),
  subScores: Type.Optional(Type.Record(Type.String(), Type.Number())),
})
export type ScoreResponse = Static<typeof ScoreResponseSchema>

export const BatchScoreResponseSchema = Type.Object({
  items: Type.Array(Type.Object({ index: Type.Integer(), uscc: Type.Union([Type.String(), Type.Null()]), ...ScoreResponseSchema.properties })),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), errors: Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() })) })),
})

export const PromoteRequestSchema = Type.Object({
  role: literals(['champion', 'challenger', 'shadow'] as const),
  traffic: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'The challenger\'s share of traffic; required for challenger' })),
}, { additionalProperties: false })

const AnyObject = (description: string) => Type.Object({}, { additionalProperties: true, description })

export const VersionSchema = Type.Object({
  version: Type.String(), kind: Type.String(), role: literals(MODEL_ROLES), traffic: Type.Number(), sha256: Type.String(),
  features: Type.Integer({ description: 'Input width' }), createdBy: Type.String(), createdAt: Type.String(),
  promotedAt: Type.Union([Type.String(), Type.Null()]), championSince: Type.Union([Type.String(), Type.Null()]),
  metrics: Type.Union([AnyObject('Training metrics from the manifest'), Type.Null()]),
})
export const ModelSchema = Type.Object({
  name: Type.String(), kind: Type.String(),
  champion: Type.Union([Type.String(), Type.Null()]),
  challenger: Type.Union([Type.Object({ version: Type.String(), traffic: Type.Number() }), Type.Null()]),
  shadows: Type.Array(Type.String()),
  versions: Type.Array(VersionSchema),
})
export const ModelListSchema = Type.Object({ items: Type.Array(Type.Object({ ...ModelSchema.properties, versions: Type.Integer() })) })

export const DeployResponseSchema = Type.Object({
  name: Type.String(), version: Type.String(), role: Type.Literal('staged'), sha256: Type.String(),
  checks: AnyObject('What the contract checks saw: ONNX producer, inputs, outputs, ensemble, golden and sweep rows'),
})

export const MonitoringQuerySchema = Type.Object({
  window: Type.Optional(Type.Integer({ minimum: 10, maximum: 1_000_000, default: 10_000, description: 'The latest N scores of each version' })),
}, { additionalProperties: false })

const PsiSchema = Type.Object({
  value: Type.Number(), band: literals(['stable', 'moderate', 'major'] as const), count: Type.Integer(),
  bins: Type.Array(Type.Object({ lower: Type.Union([Type.Number(), Type.Null()]), upper: Type.Union([Type.Number(), Type.Null()]), missing: Type.Optional(Type.Boolean()), expected: Type.Number(), actual: Type.Number() })),
})
export const MonitoringSchema = Type.Object({
  name: Type.String(),
  window: Type.Integer(),
  versions: Type.Array(Type.Object({
    version: Type.String(), role: Type.String(), count: Type.Integer(),
    psi: Type.Union([Type.Object({ basis: literals(['score', 'pd'] as const), ...PsiSchema.properties }), Type.Null()]),
    csi: Type.Array(Type.Object({ feature: Type.String(), value: Type.Number(), band: Type.String(), count: Type.Integer() })),
    missing: Type.Array(Type.Object({
      source: Type.String(), features: Type.Integer(), valuesMissing: Type.Number(), rowsAllMissing: Type.Number(), baselineValuesMissing: Type.Union([Type.Number(), Type.Null()]),
    })),
  })),
  volumes: Type.Array(Type.Object({ version: Type.String(), role: Type.String(), count: Type.Integer(), first: Type.Union([Type.String(), Type.Null()]), last: Type.Union([Type.String(), Type.Null()]) })),
})
