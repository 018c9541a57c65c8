/** A problem with the training input (data, options or config): the CLI prints the message and exits non-zero. */
export class TrainingInputError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'TrainingInputError'
    this.code = code
  }
}

/** The exported model failed a gate (parity, sanity): nothing is written. */
export class ModelRejectedError extends Error {
  readonly code = 'model_rejected'
  constructor(message: string) {
    super(message)
    this.name = 'ModelRejectedError'
  }
}
