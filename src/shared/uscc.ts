/**
 * Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-character alphabet
 * (digits and upper-case letters without I, O, Z, S, V); the last one is a mod-31 check character.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]))

/** The check character for the first 17 characters, or undefined if they hold a character outside the alphabet. */
export function usccCheckChar(first17: string): string | undefined {
  if (first17.length !== 17) return undefined
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = VALUE.get(first17[i]!)
    if (v === undefined) return undefined
    sum += v * WEIGHTS[i]!
  }
  return ALPHABET[(31 - (sum % 31)) % 31]
}

export function isValidUscc(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false
  return usccCheckChar(code.slice(0, 17)) === code[17]
}

/** Why a USCC is invalid, for error messages; undefined when it is valid. */
export function usccProblem(code: string): string | undefined {
  if (typeof code !== 'string' || code.length !== 18) return 'must be 18 characters'
  const check = usccCheckChar(code.slice(0, 17))
  if (check === undefined) return 'contains a character outside the GB 32100-2015 alphabet'
  if (check !== code[17]) return `check character should be ${check}`
  return undefined
}

/** Builds a valid USCC from a 17-character body (used by the synthetic portfolio and test factories). */
export function makeUscc(first17: string): string {
  const check = usccCheckChar(first17)
  if (check === undefined) throw new Error(`invalid USCC body ${first17}`)
  return first17 + check
}
