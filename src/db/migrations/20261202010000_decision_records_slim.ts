import { sql, type Kysely } from 'kysely'

/**
 * A decision's answer is no longer stored as a second copy: every field of it is already a column (outcome,
 * limit, rate, pd, score, grade, reasons, versions, latency) except the feature snapshot, which gets its own
 * column; the answer is rebuilt from them on read. Rows recorded before keep their stored answer, which reads
 * prefer. The stored model outcome likewise drops its reasons, which are the record's model reasons.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table decisions alter column response drop not null`.execute(db)
  await sql`alter table decisions add column feature_snapshot text`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table decisions drop column feature_snapshot`.execute(db)
}
