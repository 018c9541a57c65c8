import type { TestApp } from '../helpers/app.js'

let seq = 0
/** A risk event row with a unique externalId (occurred an hour ago unless given). */
export function riskEvent(uscc: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { externalId: `EV-${process.pid}-${++seq}`, uscc, type, occurredAt: new Date(Date.now() - 3600_000).toISOString(), source: 'test-feed', ...extra }
}

export const daysAgo = (n: number) => new Date(Date.now() - n * 24 * 3600_000).toISOString()

export function poster(t: TestApp, headers: () => Record<string, string>) {
  return (url: string, payload: unknown, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...headers(), ...extra }, payload: payload as object })
}

export function getter(t: TestApp, headers: () => Record<string, string>) {
  return (url: string) => t.app.inject({ method: 'GET', url, headers: headers() })
}
