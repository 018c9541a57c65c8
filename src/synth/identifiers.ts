/**
 * Identifiers and display strings derived from an index and the seed, never drawn from a random stream:
 * any phase can name enterprise i or person p without holding a million strings in memory.
 */
import { makeUscc } from '../shared/uscc.js'
import { hashWords, hexDigest } from './random.js'
import { CITIES, GIVEN_CHARS, SURNAMES, TRADE_CHARS, type City, type District } from './reference-data.js'

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const
const ORG_SPACE = 100_000_000 // 8-digit organisation-code bodies

/** The organisation-code check character (GB 11714): 11 - (weighted sum mod 11), with 10 as X and 11 as 0. */
function orgCodeCheck(body: string): string {
  let sum = 0
  for (let k = 0; k < 8; k++) sum += (body.charCodeAt(k) - 48) * ORG_WEIGHTS[k]!
  const c = 11 - (sum % 11)
  return c === 10 ? 'X' : c === 11 ? '0' : String(c)
}

export interface IdScheme {
  seedWord: number
  /** Odd and not a multiple of 5, so i -> i * multiplier + offset (mod 10^8) is a bijection. */
  multiplier: number
  offset: number
  personStem: string
}

function personStemOf(seedWord: number): string {
  const h = hexDigest(seedWord, 0x33, 2)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(12, 15)}-a${h.slice(1, 4)}-`
}

export function makeIdScheme(seedWord: number): IdScheme {
  let m = (hashWords(seedWord, 0x11) % 40_000_000) * 2 + 1 + 10_000_000
  if (m % 5 === 0) m += 2
  return {
    seedWord,
    multiplier: m,
    offset: hashWords(seedWord, 0x22) % ORG_SPACE,
    personStem: personStemOf(seedWord),
  }
}

/** A valid, unique USCC for enterprise i: 9 (工商) 1 (enterprise), region, organisation code, check char. */
export function usccOf(ids: IdScheme, i: number, regionCode: string): string {
  // i * multiplier stays below 2^53 for any i below 9e7
  const body = String((i * ids.multiplier + ids.offset) % ORG_SPACE).padStart(8, '0')
  return makeUscc(`91${regionCode}${body}${orgCodeCheck(body)}`)
}

/** A UUID-shaped person id (fits a uuid column): a per-seed stem, then the index, which makes it unique. */
export function personIdOf(ids: IdScheme, p: number): string {
  return ids.personStem + p.toString(16).padStart(12, '0')
}

export function phoneHashOf(ids: IdScheme, phoneId: number): string {
  return hexDigest(ids.seedWord, 0x50000000 + phoneId, 2)
}

export function addressHashOf(ids: IdScheme, addressId: number): string {
  return hexDigest(ids.seedWord, 0x0a000000 ^ mixAddress(addressId), 2)
}

function mixAddress(id: number): number {
  return Math.imul(id, 0x2c1b3c6d) >>> 0
}

const CITY_BY_KEY = new Map(CITIES.map((c) => [c.key, c]))

export function cityOf(d: District): City {
  const c = CITY_BY_KEY.get(d.cityKey)
  if (!c) throw new Error(`unknown city ${d.cityKey}`)
  return c
}

function charAt(chars: string, h: number): string {
  return chars[h % chars.length]!
}

export function enterpriseNameOf(ids: IdScheme, i: number, d: District, nameWord: string): string {
  const h = hashWords(ids.seedWord, 0x4e414d45, i)
  const trade = charAt(TRADE_CHARS, h & 0xffff) + charAt(TRADE_CHARS, h >>> 16)
  return `${cityOf(d).nameZh.replace('市', '')}${trade}${nameWord}有限公司`
}

export function personNameMaskedOf(ids: IdScheme, p: number): string {
  const h = hashWords(ids.seedWord, 0x50455253, p)
  const surname = charAt(SURNAMES, h & 0xffff)
  // masked like the bureau data: surname, stars, and sometimes the last given character
  return (h >>> 16) % 3 === 0 ? `${surname}*` : `${surname}*${charAt(GIVEN_CHARS, h >>> 17)}`
}

/** A street address; the same (addressId, district) always gives the same text, so shared ids share text. */
export function addressTextOf(ids: IdScheme, addressId: number, d: District, isHub: boolean): string {
  const c = cityOf(d)
  const h = hashWords(ids.seedWord, 0x41444452, addressId)
  const street = c.streets[h % c.streets.length]!
  const number = 1 + ((h >>> 8) % 999)
  const head = `${c.province}${c.nameZh}${d.nameZh}${street}${number}号`
  // registration agents (and incubators) lend one room to many firms
  if (isHub) return `${head}众创空间${1 + ((h >>> 18) % 20)}楼`
  return `${head}${1 + ((h >>> 4) % 30)}0${1 + ((h >>> 20) % 9)}室`
}
