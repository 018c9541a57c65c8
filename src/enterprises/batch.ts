import type { ValidateFunction } from 'ajv'
import { ValidationError, pointer } from '../shared/errors.js'
import { ajvToFieldErrors } from '../http/problem.js'

export interface RowError { pointer: string; message: string }
export interface Rejected { index: number; errors: RowError[] }
export interface BatchResult { accepted: number; rejected: Rejected[] }

/** The batch being ingested: rows that passed so far (with their index in the request) and those rejected. */
export class BatchCheck<T> {
  readonly rejected = new Map<number, RowError[]>()
  constructor(readonly key: string, readonly total: number, readonly rows: { index: number; row: T }[]) {}

  reject(index: number, field: string | null, message: string): void {
    const errors = this.rejected.get(index) ?? []
    errors.push({ pointer: field === null ? pointer(this.key, index) : pointer(this.key, index, field), message })
    this.rejected.set(index, errors)
  }

  /** Rows that passed the schema and no later check has rejected. */
  valid(): { index: number; row: T }[] {
    return this.rows.filter((r) => !this.rejected.has(r.index))
  }

  result(): BatchResult {
    const rejected = [...this.rejected.entries()].sort((a, b) => a[0] - b[0]).map(([index, errors]) => ({ index, errors }))
    return { accepted: this.total - this.rejected.size, rejected }
  }
}

/**
 * Validates every row against its schema; a batch that names the same natural key twice is refused whole
 * (which one should win is ambiguous, and nothing is stored).
 */
export function checkRows<T>(key: string, raw: readonly unknown[], validate: ValidateFunction, keyOf: (row: T) => string): BatchCheck<T> {
  const rows: { index: number; row: T }[] = []
  const schemaErrors = new Map<number, RowError[]>()
  raw.forEach((row, index) => {
    if (validate(row)) rows.push({ index, row: row as T })
    else {
      schemaErrors.set(index, ajvToFieldErrors('body', validate.errors ?? []).map((e) => ({
        pointer: pointer(key, index) + e.pointer, message: e.message,
      })))
    }
  })
  const seen = new Map<string, number>()
  const duplicates: { in: string; pointer: string; message: string }[] = []
  for (const { index, row } of rows) {
    const k = keyOf(row)
    const first = seen.get(k)
    if (first !== undefined) duplicates.push({ in: 'body', pointer: pointer(key, index), message: `duplicates the key of row ${first} (${k})` })
    else seen.set(k, index)
  }
  if (duplicates.length > 0) {
    throw new ValidationError(`The batch names the same ${key} key more than once; nothing was stored`, duplicates, 'duplicate_keys')
  }
  const check = new BatchCheck<T>(key, raw.length, rows)
  for (const [index, errors] of schemaErrors) check.rejected.set(index, errors)
  return check
}
