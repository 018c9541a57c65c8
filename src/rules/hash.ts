import { createHash } from 'node:crypto'

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null')
  } else if (Array.isArray(value)) {
    out.push('[')
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',')
      write(value[i], out)
    }
    out.push(']')
  } else {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort()
    out.push('{')
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      if (i > 0) out.push(',')
      out.push(JSON.stringify(key), ':')
      write(record[key], out)
    }
    out.push('}')
  }
}

/** JSON with object keys sorted, so that formatting and key order do not change a rule set's hash. */
export function canonicalJson(value: unknown): string {
  const out: string[] = []
  write(value, out)
  return out.join('')
}

export function hashRuleSet(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}
