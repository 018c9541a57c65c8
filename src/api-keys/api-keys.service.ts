import { hash, randomBytes } from 'node:crypto'
import type { Db } from '../db/database.js'
import { appendAudit } from '../audit/audit.repository.js'
import { NotFoundError, ValidationError } from '../shared/errors.js'
import { ROLES, type Actor, type Role } from '../shared/roles.js'
import * as repo from './api-keys.repository.js'

export function hashKey(key: string): string {
  // One-shot crypto.hash: every request hashes its key before the cache look-up.
  return hash('sha256', key, 'hex')
}

/** A new key: 'ce_' + 32 random bytes in base64url. Shown once; only its SHA-256 is stored. */
export function generateKey(): string {
  return 'ce_' + randomBytes(32).toString('base64url')
}

export interface CreatedKey {
  id: string
  key: string
  name: string
  role: Role
  branchId: string | null
  createdAt: string
}

/** How long an authenticated key is trusted from memory; revocation on this node is immediate. */
const CACHE_TTL_MS = 5_000

export function createApiKeysService(db: Db) {
  const cache = new Map<string, { actor: Actor | null; until: number }>()

  return {
    async create(input: { name: string; role: Role; branchId?: string | null }, actor: Actor): Promise<CreatedKey> {
      if (!ROLES.includes(input.role)) throw new ValidationError(`Unknown role ${input.role}`)
      const branchId = input.branchId ?? null
      if (input.role === 'branch' && !branchId) {
        throw new ValidationError('A branch key needs a branchId', [{ in: 'body', pointer: '/branchId', message: 'is required for role branch' }])
      }
      if (input.role !== 'branch' && branchId) {
        throw new ValidationError('Only branch keys carry a branchId', [{ in: 'body', pointer: '/branchId', message: 'is only allowed for role branch' }])
      }
      const key = generateKey()
      return db.transaction().execute(async (trx) => {
        if (branchId) {
          const branch = await trx.selectFrom('branches').select('id').where('id', '=', branchId).executeTakeFirst()
          if (!branch) throw new ValidationError(`Branch ${branchId} does not exist`, [{ in: 'body', pointer: '/branchId', message: 'unknown branch' }])
        }
        const row = await repo.insertApiKey(trx, { name: input.name, keyHash: hashKey(key), role: input.role, branchId })
        await appendAudit(trx, { actor: actor.keyId, action: 'api_key.create', target: `api_key:${row.id}`, diff: { name: row.name, role: row.role, branchId } })
        return { id: row.id, key, name: row.name, role: row.role as Role, branchId: row.branch_id, createdAt: row.created_at.toISOString() }
      })
    },

    async revoke(id: string, actor: Actor): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await repo.revokeApiKey(trx, id)
        if (!row) throw new NotFoundError(`API key ${id} was not found or is already revoked`)
        cache.delete(row.key_hash)
        await appendAudit(trx, { actor: actor.keyId, action: 'api_key.revoke', target: `api_key:${id}`, diff: { name: row.name, role: row.role } })
      })
    },

    async list() {
      const rows = await repo.listApiKeys(db)
      return rows.map((r) => ({
        id: r.id, name: r.name, role: r.role as Role, branchId: r.branch_id,
        createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
      }))
    },

    /** The actor behind a presented key, or null; cached briefly so authentication costs no query per request. */
    async authenticate(key: string): Promise<Actor | null> {
      const keyHash = hashKey(key)
      const now = Date.now()
      const hit = cache.get(keyHash)
      if (hit && hit.until > now) return hit.actor
      const row = await repo.findActiveKeyByHash(db, keyHash)
      const actor: Actor | null = row ? { keyId: row.id, name: row.name, role: row.role as Role, branchId: row.branch_id } : null
      if (cache.size > 10_000) cache.clear()
      cache.set(keyHash, { actor, until: now + CACHE_TTL_MS })
      return actor
    },

    /** Makes sure an admin key with exactly this value exists (BOOTSTRAP_ADMIN_KEY). */
    async ensureAdminKey(key: string, name = 'bootstrap-admin'): Promise<void> {
      const keyHash = hashKey(key)
      const existing = await repo.findActiveKeyByHash(db, keyHash)
      if (existing) return
      await db.transaction().execute(async (trx) => {
        const row = await repo.insertApiKey(trx, { name, keyHash, role: 'admin', branchId: null })
        await appendAudit(trx, { actor: 'system', action: 'api_key.bootstrap', target: `api_key:${row.id}`, diff: { name } })
      })
    },

    /** True when no active admin key exists (first start of an embedded install). */
    async hasNoAdminKey(): Promise<boolean> {
      const row = await db.selectFrom('api_keys').select('id').where('role', '=', 'admin').where('revoked_at', 'is', null).executeTakeFirst()
      return row === undefined
    },
  }
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>
