/** Domain errors: services throw these; the HTTP layer turns them into problem+json. */
export interface FieldError {
  /** Where the problem is: body, params, querystring or headers. */
  in: string
  /** RFC 6901 JSON pointer into that part of the request ('' for the whole part). */
  pointer: string
  message: string
  /** For rule-set errors: the file and rule the problem is in, and its stable code. */
  file?: string
  rule?: string | null
  code?: string
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, errors: FieldError[] = [], code = 'validation_failed') {
    super(400, code, message, errors)
  }
}
export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>)') {
    super(401, 'unauthorized', message)
  }
}
export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super(403, 'forbidden', message)
  }
}
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'not_found', message)
  }
}
export class ConflictError extends DomainError {
  constructor(message: string, code = 'conflict', extra: Record<string, unknown> = {}) {
    super(409, code, message, [], extra)
  }
}
export class UnprocessableError extends DomainError {
  constructor(message: string, errors: FieldError[], code = 'unprocessable') {
    super(422, code, message, errors)
  }
}
export class ServiceUnavailableError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds = 1, code = 'service_unavailable') {
    super(503, code, message)
  }
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1')
}
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => '/' + pointerToken(t)).join('')
}
