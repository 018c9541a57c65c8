/** Request bodies of the decisions benchmark's load generators (load.ts, paced-load.ts). */

/** The anchor's row: about 2 KB of JSON. */
const filler = 'x'.repeat(1900)

export type BodyKind = 'insert' | 'decision'

/** Request n: the anchor's 2 KB row, or an application with its own id for the given USCC (20 amounts in turn). */
export function requestBody(kind: BodyKind, applicationId: string, n: number, uscc: string | undefined): string {
  return JSON.stringify(kind === 'insert'
    ? { n, filler }
    : { applicationId, uscc, product: 'TAX_LOAN', amount: 100_000 + (n % 20) * 10_000, termMonths: 12 })
}
