import { describe, expect, it } from 'vitest'
import { loggedByName, loggedVector, shown } from '../../src/models/score-log.js'

describe('score log vectors', () => {
  it('log one row of a matrix in feature order, as the decimals the inputs were written as', () => {
    const x = new Float32Array([1, 2, 0.1, NaN, 12_345_678.9, -3.3])
    expect(loggedVector(x, 2, 3)).toEqual([0.1, null, 12345680])
    expect(shown(Math.fround(-3.3))).toBe(-3.3)
  })

  it('read by name whether logged as a vector or, before, as an object', () => {
    expect(loggedByName(['a', 'b', 'c'], [1, null, 2.5])).toEqual({ a: 1, b: null, c: 2.5 })
    expect(loggedByName(['a', 'b'], [7])).toEqual({ a: 7, b: null })
    const older = { a: 1, b: null }
    expect(loggedByName(['a', 'b'], older)).toBe(older)
  })
})
