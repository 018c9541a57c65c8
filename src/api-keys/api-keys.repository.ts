import type { Executor } from '../db/database.js'

export async function insertApiKey(
  db: Executor, row: { name: string; keyHash: string; role: string; branchId: string | null },
) {
  return db.insertInto('api_keys')
    .values({ name: row.name, key_hash: row.keyHash, role: row.role, branch_id: row.branchId })
    .returning(['id', 'name', 'role', 'branch_id', 'created_at'])
    .executeTakeFirstOrThrow()
}

export async function findActiveKeyByHash(db: Executor, keyHash: string) {
  return db.selectFrom('api_keys').select(['id', 'name', 'role', 'branch_id'])
    .where('key_hash', '=', keyHash).where('revoked_at', 'is', null)
    .executeTakeFirst()
}

export async function revokeApiKey(db: Executor, id: string) {
  return db.updateTable('api_keys').set({ revoked_at: new Date() })
    .where('id', '=', id).where('revoked_at', 'is', null)
    .returning(['id', 'name', 'role', 'branch_id', 'key_hash', 'revoked_at'])
    .executeTakeFirst()
}

export async function listApiKeys(db: Executor) {
  return db.selectFrom('api_keys').select(['id', 'name', 'role', 'branch_id', 'created_at', 'revoked_at'])
    .orderBy('created_at').execute()
}
