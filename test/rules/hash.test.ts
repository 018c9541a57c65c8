/**
 * canonicalJson names stored rule-set versions (hashRuleSet) and decision requests: its output must never
 * change. It is checked here against its definition, written the plain way.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from '../../src/rules/hash.js'

/** JSON.stringify with every object's keys sorted and its undefined properties left out; whatever else JSON drops is null. */
function definition(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(definition).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${definition(record[k])}`).join(',')}}`
}

// Any UTF-16 code units, lone surrogates and control characters included.
const text = fc.string({ unit: 'binary' })
const odd = fc.constantFrom<unknown>(undefined, Number.NaN, Infinity, -Infinity, -0, 1e21, 5e-324, () => 1, Symbol('s'), new Date(0), '"\\\u0000\u001f\u007f\u2028')
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), text, fc.double(), odd, fc.array(tie('v')), fc.dictionary(text, tie('v'))),
})).v

describe('canonicalJson', () => {
  it('equals its definition on any value', () => {
    fc.assert(fc.property(value, (v) => canonicalJson(v) === definition(v)), { numRuns: 5000 })
  })

  it('sorts keys, drops undefined properties and writes what JSON drops as null', () => {
    expect(canonicalJson({ b: [1, undefined, () => 1], a: 'x"y', c: undefined, d: Number.NaN })).toBe('{"a":"x\\"y","b":[1,null,null],"d":null}')
  })
})
