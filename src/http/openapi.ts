import type { FastifyInstance, RouteOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

export interface RouteInfo { method: string; url: string; roles: readonly string[] | null }

/**
 * OpenAPI 3 from the route schemas, with each route's roles and bearer security written into it;
 * also collects the route table (used by the role × route test).
 */
export async function registerOpenApi(app: FastifyInstance, routeTable: RouteInfo[]): Promise<void> {
  app.addHook('onRoute', (route: RouteOptions) => {
    const roles = route.config?.roles ?? null
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const m of methods) if (m !== 'HEAD') routeTable.push({ method: m, url: route.url, roles })
    if (roles && route.schema) {
      const schema = route.schema as Record<string, unknown>
      schema.security = [{ bearerAuth: [] }]
      schema['x-roles'] = ['admin', ...roles.filter((r) => r !== 'admin')]
      schema.description = `${schema.description ? `${schema.description as string}\n\n` : ''}Roles: admin, ${roles.join(', ')}.`
    }
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Credit Engine',
        version: '0.1.0',
        description: 'Credit decisions, rules, models, warnings and leads for corporate and SME lending. Errors are RFC 9457 application/problem+json.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}
