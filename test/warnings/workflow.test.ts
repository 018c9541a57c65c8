import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DomainError } from '../../src/shared/errors.js'
import {
  WARNING_ACTIONS, allowedActions, applyTransition, isActive, nextStatus, type WarningAction, type WorkflowState,
} from '../../src/warnings/workflow.js'
import { applyEffect, effectOf, MERGE_WINDOW_MS, type ActiveWarning } from '../../src/warnings/escalation.js'

const OPEN: WorkflowState = { status: 'OPEN', resolution: null }

describe('workflow state machine', () => {
  it('follows OPEN → ACKNOWLEDGED → CONFIRMED | DISMISSED → REPORTED → CLOSED', () => {
    let s = applyTransition(OPEN, 'acknowledge', null)
    expect(s).toEqual({ status: 'ACKNOWLEDGED', resolution: null })
    const confirmed = applyTransition(s, 'confirm', null)
    expect(confirmed).toEqual({ status: 'CONFIRMED', resolution: 'CONFIRMED' })
    s = applyTransition(applyTransition(confirmed, 'report', null), 'close', null)
    expect(s).toEqual({ status: 'CLOSED', resolution: 'CONFIRMED' })
    const dismissed = applyTransition({ status: 'ACKNOWLEDGED', resolution: null }, 'dismiss', 'duplicate of another case')
    expect(applyTransition(dismissed, 'report', null)).toEqual({ status: 'REPORTED', resolution: 'DISMISSED' })
    expect(allowedActions('OPEN')).toEqual(['acknowledge'])
    expect(allowedActions('ACKNOWLEDGED')).toEqual(['confirm', 'dismiss'])
    expect(allowedActions('CLOSED')).toEqual([])
  })

  it('answers 409 invalid_transition out of order and 400 comment_required for a dismissal without a comment', () => {
    const err = (f: () => unknown) => { try { f() } catch (e) { return e as DomainError } throw new Error('did not throw') }
    expect(err(() => applyTransition(OPEN, 'close', null))).toMatchObject({ status: 409, code: 'invalid_transition' })
    expect(err(() => applyTransition(OPEN, 'dismiss', 'x'))).toMatchObject({ status: 409, code: 'invalid_transition' })
    for (const c of [null, undefined, '', '   ']) {
      expect(err(() => applyTransition({ status: 'ACKNOWLEDGED', resolution: null }, 'dismiss', c))).toMatchObject({ status: 400, code: 'comment_required' })
    }
  })

  it('property: any action sequence only moves along allowed edges, and CLOSED is reached only through REPORTED', () => {
    fc.assert(fc.property(fc.array(fc.record({ action: fc.constantFrom(...WARNING_ACTIONS), comment: fc.option(fc.string(), { nil: null }) }), { maxLength: 30 }), (steps) => {
      let s = OPEN
      const visited = [s.status]
      for (const { action, comment } of steps) {
        const expected = nextStatus(s.status, action as WarningAction)
        try {
          const next = applyTransition(s, action as WarningAction, comment)
          expect(next.status).toBe(expected)
          expect(action !== 'dismiss' || (comment ?? '').trim() !== '').toBe(true)
          if (s.resolution !== null) expect(next.resolution).toBe(s.resolution)
          s = next
          visited.push(s.status)
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError)
          const status = (e as DomainError).status
          expect(status === 409 ? expected === null : status === 400 && action === 'dismiss' && expected !== null).toBe(true)
        }
      }
      if (s.status === 'CLOSED') expect(visited.slice(-2)).toEqual(['REPORTED', 'CLOSED'])
      expect(isActive(s)).toBe(s.status !== 'CLOSED' && s.resolution !== 'DISMISSED')
    }), { numRuns: 500 })
  })
})

describe('escalation, attachment and merging', () => {
  const at = Date.parse('2026-06-01T00:00:00Z')
  const w: ActiveWarning = { id: 'w1', level: 'MEDIUM', eventType: 'TAX_ARREARS', eventCount: 1, mergedCount: 0, firstEventAt: at, lastEventAt: at, recent: [{ type: 'TAX_ARREARS', at }] }

  it('creates, escalates on a higher level, merges the same type within the window, attaches the rest', () => {
    expect(effectOf(null, { type: 'LAWSUIT', level: 'LOW', at })).toBe('created')
    expect(effectOf(w, { type: 'LAWSUIT', level: 'HIGH', at })).toBe('escalated')
    expect(effectOf(w, { type: 'TAX_ARREARS', level: 'MEDIUM', at: at + MERGE_WINDOW_MS })).toBe('merged')
    expect(effectOf(w, { type: 'TAX_ARREARS', level: 'MEDIUM', at: at + MERGE_WINDOW_MS + 1 })).toBe('attached')
    expect(effectOf(w, { type: 'LAWSUIT', level: 'LOW', at })).toBe('attached')
    // a duplicate that carries a higher level still escalates
    expect(effectOf(w, { type: 'TAX_ARREARS', level: 'HIGH', at })).toBe('escalated')
  })

  it('applies the effect to counts, level and times', () => {
    const esc = applyEffect(w, { type: 'LAWSUIT', level: 'HIGH', at: at - 1000 }, 'escalated', () => 'x')
    expect(esc).toMatchObject({ id: 'w1', level: 'HIGH', eventType: 'LAWSUIT', eventCount: 2, mergedCount: 0, firstEventAt: at - 1000, lastEventAt: at })
    const merged = applyEffect(w, { type: 'TAX_ARREARS', level: 'LOW', at: at + 5 }, 'merged', () => 'x')
    expect(merged).toMatchObject({ level: 'MEDIUM', eventCount: 1, mergedCount: 1, lastEventAt: at + 5 })
    expect(applyEffect(null, { type: 'LAWSUIT', level: 'LOW', at }, 'created', () => 'new-id')).toMatchObject({ id: 'new-id', level: 'LOW', eventCount: 1 })
  })

  it('property: the level never goes down whatever events arrive', () => {
    const ev = fc.record({ type: fc.constantFrom('LAWSUIT', 'TAX_ARREARS', 'ZERO_FILING'), level: fc.constantFrom('HIGH', 'MEDIUM', 'LOW' as const), at: fc.integer({ min: at, max: at + 30 * MERGE_WINDOW_MS }) })
    const rank = { LOW: 0, MEDIUM: 1, HIGH: 2 } as const
    fc.assert(fc.property(fc.array(ev, { minLength: 1, maxLength: 20 }), (events) => {
      let s: ActiveWarning | null = null
      let highest: keyof typeof rank = 'LOW'
      for (const e of events) {
        const before = s?.level
        const effect = effectOf(s, e as never)
        s = applyEffect(s, e as never, effect, () => 'id')
        if (before) expect(rank[s.level]).toBeGreaterThanOrEqual(rank[before])
        if (rank[e.level] > rank[highest]) highest = e.level
        expect(s.level).toBe(highest)
      }
      expect(s!.eventCount + s!.mergedCount).toBe(events.length)
    }), { numRuns: 300 })
  })
})
