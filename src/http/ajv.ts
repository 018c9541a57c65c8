import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { isValidUscc } from '../shared/uscc.js'

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv

/**
 * Request validation: bodies are never coerced (a string where a number belongs is an error, not a guess) and
 * unknown fields are never dropped; query strings, params and headers are coerced from their text form.
 */
export function createAjv(options: { coerce: boolean }): Ajv {
  const opts: Options = {
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: options.coerce ? 'array' : false,
    strict: false,
  }
  const ajv = new Ajv(opts)
  addFormats(ajv)
  ajv.addFormat('uscc', { type: 'string', validate: isValidUscc })
  // A calendar date that actually exists (ajv-formats' 'date' already checks this) and is not in the future.
  ajv.addFormat('past-date', {
    type: 'string',
    validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s + 'T00:00:00Z'))
      && new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) === s && s <= new Date().toISOString().slice(0, 10),
  })
  ajv.addFormat('period', { type: 'string', validate: (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s) })
  return ajv
}
