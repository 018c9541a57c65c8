import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { boundingBox, gradeOf, haversineKm } from '../../src/leads/grading.js'
import { allowedNext, applyLeadTransition, LEAD_STATUSES, type LeadStatus } from '../../src/leads/workflow.js'

const cuts = [{ grade: '优质', minScore: 0.16 }, { grade: '良好', minScore: 0.1 }, { grade: '一般', minScore: 0 }]

describe('lead grading and distances', () => {
  it('cuts the score at the manifest cut-offs, best grade first', () => {
    expect(gradeOf(0.2, cuts)).toBe('优质')
    expect(gradeOf(0.16, cuts)).toBe('优质')
    expect(gradeOf(0.1599, cuts)).toBe('良好')
    expect(gradeOf(0.05, cuts)).toBe('一般')
    expect(gradeOf(0.2, [...cuts].reverse())).toBe('优质')
  })

  it('measures haversine km, and the bounding box holds every point within the radius', () => {
    expect(haversineKm(39.9042, 116.4074, 31.2304, 121.4737)).toBeCloseTo(1067.3, 0)
    fc.assert(fc.property(fc.double({ min: -60, max: 60, noNaN: true }), fc.double({ min: -170, max: 170, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (lat, lng, km, bearing) => {
        const dLat = (km * Math.cos(bearing)) / 111.32 * 0.999
        const dLng = (km * Math.sin(bearing)) / (111.32 * Math.cos((lat * Math.PI) / 180)) * 0.999
        const b = boundingBox(lat, lng, km)
        const p = { lat: lat + dLat, lng: lng + dLng }
        return p.lat >= b.minLat && p.lat <= b.maxLat && p.lng >= b.minLng && p.lng <= b.maxLng
      }))
  })
})

describe('lead workflow (pure)', () => {
  it('allows exactly the drawn steps; others are 409, closing without a note 400', () => {
    for (const from of LEAD_STATUSES) {
      for (const to of LEAD_STATUSES) {
        const allowed = allowedNext(from).includes(to)
        const run = () => applyLeadTransition(from, to as LeadStatus, 'reason')
        if (allowed) expect(run()).toBe(to)
        else expect(run).toThrow(expect.objectContaining({ status: 409, code: 'invalid_transition' }))
      }
    }
    expect(() => applyLeadTransition('FOLLOWING', 'CLOSED', ' ')).toThrow(expect.objectContaining({ status: 400, code: 'note_required' }))
    expect(allowedNext('UNCLAIMED')).toEqual(['FOLLOWING'])
    expect(allowedNext('WON')).toEqual([])
  })
})
