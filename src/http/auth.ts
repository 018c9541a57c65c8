import type { FastifyInstance } from 'fastify'
import type { ApiKeysService } from '../api-keys/api-keys.service.js'
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js'
import type { Actor, Role } from '../shared/roles.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles that may call the route ('admin' always may). Absent: a public route (health, metrics, docs). */
    roles?: readonly Role[]
  }
  interface FastifyRequest {
    auth: Actor
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Checks the API key and the route's roles before the body is even read. */
export function registerAuth(app: FastifyInstance, apiKeys: ApiKeysService): void {
  app.decorateRequest('auth', null as unknown as Actor)
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config?.roles
    if (!roles) return
    const match = BEARER.exec(request.headers.authorization ?? '')
    if (!match) throw new UnauthorizedError()
    const actor = await apiKeys.authenticate(match[1]!)
    if (!actor) throw new UnauthorizedError('The API key is unknown or revoked')
    if (actor.role !== 'admin' && !roles.includes(actor.role)) {
      throw new ForbiddenError(`Role ${actor.role} may not call ${request.method} ${request.routeOptions.url}; allowed: admin, ${roles.join(', ')}`)
    }
    request.auth = actor
  })
}
