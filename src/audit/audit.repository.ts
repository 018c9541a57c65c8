import type { Executor } from '../db/database.js'

/** Appends one entry to the audit log, inside the caller's transaction. */
export async function appendAudit(
  db: Executor, entry: { actor: string; action: string; target: string; diff?: unknown },
): Promise<void> {
  await db.insertInto('audit_log')
    .values({ actor: entry.actor, action: entry.action, target: entry.target, diff: JSON.stringify(entry.diff ?? null) })
    .execute()
}
