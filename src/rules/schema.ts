/**
 * The rule-set envelope as a plain JSON Schema (draft-07, ajv-compatible) for the HTTP layer, and the size
 * limits every check and the compiler share. lint.ts applies the same shape with located messages.
 */
import { DECISION_KINDS } from './types.js'

/** Size limits: a set beyond them is refused with a `limit_exceeded` error rather than compiled slowly. */
export const RULE_SET_LIMITS = {
  maxRules: 20_000,
  maxConditionDepth: 32,
  maxConditionNodes: 400_000,
  maxSharedConditions: 1_000,
} as const

const common = {
  priority: { type: 'integer', minimum: 1 },
  name: { type: 'string' },
} as const

const factRef = {
  type: 'object',
  required: ['fact'],
  properties: { fact: { type: 'string', minLength: 1 }, path: { type: 'string' }, params: { type: 'object' } },
  additionalProperties: false,
} as const

export const RuleSetJsonSchema = {
  $id: 'RuleSet',
  type: 'object',
  required: ['id', 'version', 'description', 'decision', 'rules'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    decision: { type: 'string', enum: [...DECISION_KINDS] },
    conditions: { type: 'object', additionalProperties: { $ref: '#/definitions/topLevelCondition' } },
    rules: { type: 'array', maxItems: RULE_SET_LIMITS.maxRules, items: { $ref: '#/definitions/rule' } },
  },
  definitions: {
    factRef,
    rule: {
      type: 'object',
      required: ['name', 'conditions', 'event'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        priority: { type: 'integer', minimum: 1 },
        description: { type: 'string' },
        conditions: { $ref: '#/definitions/topLevelCondition' },
        event: {
          type: 'object',
          required: ['type', 'params'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', minLength: 1 },
            params: {
              type: 'object',
              required: ['reasonCode', 'reasonZh', 'reasonEn'],
              properties: {
                reasonCode: { type: 'string', minLength: 1 },
                reasonZh: { type: 'string', minLength: 1 },
                reasonEn: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
    topLevelCondition: {
      oneOf: [
        { type: 'object', required: ['all'], additionalProperties: false, properties: { ...common, all: { type: 'array', items: { $ref: '#/definitions/condition' } } } },
        { type: 'object', required: ['any'], additionalProperties: false, properties: { ...common, any: { type: 'array', items: { $ref: '#/definitions/condition' } } } },
        { type: 'object', required: ['not'], additionalProperties: false, properties: { ...common, not: { $ref: '#/definitions/condition' } } },
        { type: 'object', required: ['condition'], additionalProperties: false, properties: { ...common, condition: { type: 'string', minLength: 1 } } },
      ],
    },
    condition: {
      oneOf: [
        { $ref: '#/definitions/topLevelCondition' },
        {
          type: 'object',
          required: ['fact', 'operator', 'value'],
          additionalProperties: false,
          properties: {
            ...common,
            fact: { type: 'string', minLength: 1 },
            operator: { type: 'string', minLength: 1 },
            value: {},
            path: { type: 'string', pattern: '^\\$((\\.[A-Za-z_][A-Za-z0-9_]*)|(\\[[0-9]+\\]))+$' },
            params: { type: 'object' },
          },
        },
      ],
    },
  },
} as const

/** RFC 6901 escaping of one reference token. */
export function pointerToken(token: string | number): string {
  return String(token).replaceAll('~', '~0').replaceAll('/', '~1')
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => '/' + pointerToken(t)).join('')
}
