import type { LightMyRequestResponse } from 'fastify'
import { buildApp, type App } from '../../src/app.js'
import { testConfig, type Config } from '../../src/config.js'
import type { Role } from '../../src/shared/roles.js'
import { SYSTEM_ACTOR } from '../../src/shared/roles.js'
import { createTestDatabase, type TestDatabase } from './database.js'

export const ADMIN_KEY = 'test-admin-key-0123456789'

export interface TestApp extends App {
  database: TestDatabase
  admin: Record<string, string>
  /** Authorization headers for a new key of the role (branch keys need a branchId). */
  headersFor(role: Role, branchId?: string): Promise<Record<string, string>>
  close(): Promise<void>
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase()
  const built = await buildApp(testConfig(overrides), database)
  await built.services.apiKeys.ensureAdminKey(ADMIN_KEY)
  return {
    ...built,
    database,
    admin: { authorization: `Bearer ${ADMIN_KEY}` },
    async headersFor(role, branchId) {
      const created = await built.services.apiKeys.create({ name: `test-${role}`, role, branchId: branchId ?? null }, SYSTEM_ACTOR)
      return { authorization: `Bearer ${created.key}` }
    },
    async close() {
      await built.app.close()
      await database.drop()
    },
  }
}

/** Asserts the response is RFC 9457 problem+json and returns its body. */
export function problemOf(res: LightMyRequestResponse): { status: number; code: string; detail: string; errors?: { in: string; pointer: string; message: string; rule?: string | null; code?: string }[] } {
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${res.statusCode} ${String(res.headers['content-type'])}: ${res.body.slice(0, 300)}`)
  }
  return res.json()
}
