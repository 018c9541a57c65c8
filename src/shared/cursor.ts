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
  throw new ValidationError('The cursor is invalid', [{ in: 'querystring', pointer: '/cursor', message: 'is not a cursor from this list' }])
}
