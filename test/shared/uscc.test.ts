import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidUscc, makeUscc, usccCheckChar, usccProblem } from '../../src/shared/uscc.js'

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'

describe('USCC check character (GB 32100-2015)', () => {
  it('accepts published example codes', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true)
    expect(usccCheckChar('91350100M000100Y4')).toBe('3')
  })

  it('rejects a wrong check character and says which one it should be', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false)
    expect(usccProblem('91350100M000100Y44')).toBe('check character should be 3')
  })

  it('rejects wrong lengths and characters outside the alphabet (I, O, Z, S, V, lower case)', () => {
    expect(usccProblem('91350100M000100Y4')).toBe('must be 18 characters')
    expect(isValidUscc('91350100I000100Y43')).toBe(false)
    expect(usccProblem('91350100o000100Y43')).toMatch(/alphabet/)
  })

  it('detects every single-character substitution (31 is prime and no weight is 0 mod 31)', () => {
    const body = fc.array(fc.constantFrom(...ALPHABET), { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''))
    fc.assert(fc.property(body, fc.nat(16), fc.constantFrom(...ALPHABET), (b, pos, ch) => {
      const code = makeUscc(b)
      expect(isValidUscc(code)).toBe(true)
      const mutated = code.slice(0, pos) + ch + code.slice(pos + 1)
      expect(isValidUscc(mutated)).toBe(mutated === code)
    }), { numRuns: 2000 })
  })
})
