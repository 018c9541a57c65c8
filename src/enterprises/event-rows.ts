import type { Db } from '../db/database.js'
import type { BatchCheck } from './batch.js'
import { existingIds } from './enterprises.repository.js'

/** Clock skew tolerated on an event's occurredAt before it counts as "in the future". */
const FUTURE_SKEW_MS = 5 * 60 * 1000
const EARLIEST = Date.parse('1990-01-01T00:00:00Z')

/**
 * The checks every event feed shares (risk events, opportunity events): a known type, a real occurredAt that is
 * neither in the future nor before 1990, and an enterprise the engine knows. Rejections are per row.
 */
export async function checkEventRows<T extends { type: string; occurredAt: string; uscc: string }>(
  db: Db, check: BatchCheck<T>, isKnownType: (type: string) => boolean, typeNoun: string,
): Promise<void> {
  const now = Date.now()
  for (const { index, row } of check.rows) {
    if (!isKnownType(row.type)) check.reject(index, 'type', `unknown ${typeNoun} ${row.type}`)
    const at = Date.parse(row.occurredAt)
    if (Number.isNaN(at)) check.reject(index, 'occurredAt', 'is not a valid time')
    else if (at > now + FUTURE_SKEW_MS) check.reject(index, 'occurredAt', 'is in the future')
    else if (at < EARLIEST) check.reject(index, 'occurredAt', 'is before 1990')
  }
  const known = await existingIds(db, 'enterprises', check.rows.map((r) => r.row.uscc))
  for (const { index, row } of check.rows) if (!known.has(row.uscc)) check.reject(index, 'uscc', `unknown enterprise ${row.uscc}`)
}
