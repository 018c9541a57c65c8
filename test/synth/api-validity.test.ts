import { describe, expect, it } from 'vitest'
import { createAjv } from '../../src/http/ajv.js'
import { BranchRowSchema, EnterpriseBatchRowSchema, PersonRowSchema, RelationRowSchema, TaxFilingRowSchema } from '../../src/enterprises/enterprises.schemas.js'
import { relationProblems } from '../../src/enterprises/relation-rules.js'
import { DEFAULT_AS_OF } from '../../src/synth/generate.js'
import { collect } from './collect.js'

describe('the synthetic portfolio is valid input for the ingest API', () => {
  const p = collect({ enterprises: 5000, seed: 11 })
  const ajv = createAjv({ coerce: false })

  it.each([
    ['branches', BranchRowSchema], ['persons', PersonRowSchema], ['enterprises', EnterpriseBatchRowSchema],
    ['relations', RelationRowSchema], ['taxFilings', TaxFilingRowSchema],
  ] as const)('every %s row passes the API schema', (kind, schema) => {
    const validate = ajv.compile(schema)
    const bad = (p[kind] as unknown[]).filter((r) => !validate(r))
    expect(bad.slice(0, 3)).toEqual([])
  })

  it('no date lies after the as-of date and every relation passes the semantic checks', () => {
    expect(p.enterprises.filter((e) => e.establishedOn > DEFAULT_AS_OF)).toEqual([])
    expect(p.relations.filter((r) => (r.since ?? '') > DEFAULT_AS_OF).slice(0, 3)).toEqual([])
    expect(p.relations.flatMap((r) => relationProblems(r)).slice(0, 3)).toEqual([])
  })
})
