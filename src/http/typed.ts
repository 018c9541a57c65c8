import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'

/** The app with TypeBox types on route schemas (request and reply typed from the schemas). */
export type TypedApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>()
}
