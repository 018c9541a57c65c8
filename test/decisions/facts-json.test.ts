import { describe, expect, it } from 'vitest'
import { withMembers } from '../../src/decisions/decisions.service.js'

describe('the recorded facts as JSON text', () => {
  it('appends members to an object as jsonb and Object.assign would read them', () => {
    const joined = withMembers('{"a": 1, "b": "x"}', '{"c":2,"d":null}')
    expect(joined).toBe('{"a": 1, "b": "x","c":2,"d":null}')
    expect(JSON.parse(joined)).toEqual({ a: 1, b: 'x', c: 2, d: null })
  })

  it('lets an appended member win over the same key earlier, as Object.assign does', () => {
    expect(JSON.parse(withMembers('{"a": 1, "b": 2}', '{"b":3}'))).toEqual(Object.assign({ a: 1, b: 2 }, { b: 3 }))
  })

  it('handles an empty object on either side', () => {
    expect(withMembers('{}', '{"a":1}')).toBe('{"a":1}')
    expect(withMembers('{ } ', '{"a":1}')).toBe('{"a":1}')
    expect(withMembers('{"a": 1}', '{}')).toBe('{"a": 1}')
  })
})
