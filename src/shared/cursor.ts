import { ValidationError } from './errors.js'

/** Cursor encoding for keyset pagination: base64url of a JSON array of the last row's sort keys. */
export function encodeCursor(keys: unknown[]): string {
  return Buffer.from(JSON.stringify(keys), 'utf8').toString('base64url')
}

/** The sort keys inside a cursor; a 400 pointing at `cursor` when it was not made by encodeCursor. */
export function decodeCursor(cursor: string): unknown[] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(v)) return v
  } catch {
    // fall through to the located error
  }
  throw invalidCursor()
}

const invalidCursor = () => new ValidationError('The cursor is invalid', [{ in: 'querystring', pointer: '/cursor', message: 'is not a cursor from this list' }])

/** A keyset cursor of (microseconds timestamp, uuid), as the warning and lead lists page newest first. */
export function decodeTimeIdCursor(cursor: string): { us: number; id: string } {
  const [us, id] = decodeCursor(cursor)
  if (typeof us !== 'number' || !Number.isSafeInteger(us) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw invalidCursor()
  return { us, id }
}
