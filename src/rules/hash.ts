import { hash } from 'node:crypto'

// What JSON.stringify escapes in a string (or might: every surrogate, paired or not, takes the slow path).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`
}

/**
 * The canonical JSON of a value, built by string concatenation (V8 joins the pieces once, when hashed).
 * Scalars come out as JSON.stringify writes them; anything JSON.stringify drops (undefined, functions,
 * symbols) is `null`, except that an object's properties whose value is undefined are left out.
 */
function write(value: unknown): string {
  if (typeof value === 'string') return quote(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + write(value[i])
    return out + ']'
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  let out = '{'
  let first = true
  for (const key of keys) {
    const v = record[key]
    if (v === undefined) continue
    out += (first ? '' : ',') + quote(key) + ':' + write(v)
    first = false
  }
  return out + '}'
}

/** JSON with object keys sorted, so that formatting and key order do not change a rule set's hash. */
export function canonicalJson(value: unknown): string {
  return write(value)
}

/** SHA-256 (hex) of the canonical JSON: one-shot crypto.hash, a third of createHash().update().digest() for short inputs. */
export function canonicalHash(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex')
}

export const hashRuleSet = canonicalHash
