import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Db } from '../db/database.js'
import { problems } from '../shared/schemas.js'
import { ServiceUnavailableError } from '../shared/errors.js'

const StatusSchema = Type.Object({ status: Type.String() })

export function healthRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: StatusSchema } } }, async () => ({ status: 'ok' }))
  app.get('/readyz', {
    schema: { tags: ['operations'], summary: 'Readiness: the database answers', response: { 200: StatusSchema, ...problems(503) } },
  }, async () => {
    try {
      await sql`select 1`.execute(opts.db)
    } catch {
      throw new ServiceUnavailableError('The database is not reachable', 2, 'database_unavailable')
    }
    return { status: 'ready' }
  })
}
