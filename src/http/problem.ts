import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DomainError, ServiceUnavailableError, type FieldError } from '../shared/errors.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

interface AjvError {
  instancePath: string
  keyword: string
  message?: string
  params?: Record<string, unknown>
}

/** Turns ajv errors into located field errors; unknown properties and missing ones point at the field itself. */
export function ajvToFieldErrors(where: string, errors: readonly AjvError[]): FieldError[] {
  // A nullable field (anyOf [T, null]) that fails T also fails "must be null" and the anyOf itself: only T's error says anything.
  const located = new Set(errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && e.params?.type === 'null')).map((e) => e.instancePath))
  const useful = errors.filter((e) => !((e.keyword === 'anyOf' || (e.keyword === 'type' && e.params?.type === 'null')) && located.has(e.instancePath)))
  return useful.map((e) => {
    let ptr = e.instancePath
    let message = e.message ?? 'is invalid'
    if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      ptr += '/' + e.params.additionalProperty
      message = 'is not a known field'
    } else if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
      ptr += '/' + e.params.missingProperty
      message = 'is required'
    } else if (e.keyword === 'format' && typeof e.params?.format === 'string') {
      message = FORMAT_MESSAGES[e.params.format] ?? message
    }
    return { in: where, pointer: ptr, message }
  })
}

const FORMAT_MESSAGES: Record<string, string> = {
  uscc: 'is not a valid USCC (18 characters, GB 32100-2015 check character)',
  'past-date': 'must be a real date (YYYY-MM-DD) not in the future',
  date: 'must be a real date (YYYY-MM-DD)',
  period: 'must be a period YYYY-MM',
  uuid: 'must be a UUID',
}

function statusOf(error: FastifyError): number {
  const s = error.statusCode
  return typeof s === 'number' && s >= 400 && s < 600 ? s : 500
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

export function sendProblem(
  reply: FastifyReply, request: FastifyRequest, status: number, code: string, detail: string,
  errors: FieldError[] = [], extra: Record<string, unknown> = {},
): FastifyReply {
  const body: Record<string, unknown> = {
    type: `https://credit-engine.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId: request.id,
    ...extra,
  }
  if (errors.length > 0) body.errors = errors
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body)
}

/** Database connection failures that mean "try again shortly", not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null
  if (!e) return false
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003'].includes(e.code)) return true
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(e.message ?? '')
}

/** One error handler for the whole app: domain errors, Fastify's own 4xx, validation, and 500s (details only in the log). */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error instanceof ServiceUnavailableError) reply.header('retry-after', String(error.retryAfterSeconds))
      return sendProblem(reply, request, error.status, error.code, error.message, error.errors, error.extra)
    }
    if (error.validation) {
      const where = error.validationContext ?? 'body'
      const errors = ajvToFieldErrors(where, error.validation as AjvError[])
      return sendProblem(reply, request, 400, 'validation_failed', `Invalid request ${where}`, errors)
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable')
      reply.header('retry-after', '2')
      return sendProblem(reply, request, 503, 'database_unavailable', 'The database is unavailable; retry shortly')
    }
    const status = statusOf(error)
    if (status < 500) {
      const code = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase()
      const detail = error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? 'The body is not valid JSON' : error.message
      return sendProblem(reply, request, status, code, detail)
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(reply, request, 500, 'internal_error', 'An internal error occurred; it has been logged')
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`))
}
