/**
 * Shared-attribute communities (团伙): firms linked by the same phone, the same address or the same legal
 * representative (attribute hashes on the enterprise rows and SAME_PHONE / SAME_ADDRESS / LEGAL_REP edges).
 * A value shared by more than `hubCap` firms is a registration agent, incubator or nominee and is ignored, or
 * every agent's clients would collapse into one giant component.
 */
import { T_LEGAL_REP, T_SAME_ADDRESS, T_SAME_PHONE } from './edge-types.js'
import {
  type AttributeIndex, type CreditGraph, KIND_ENTERPRISE, KIND_PERSON, forEachIncident, forEachMember, forEachOut,
  memberCount,
} from './graph.js'
import { type Visited, nextGeneration, pooledVisited } from './scratch.js'

export const KIND_PHONE = 0
export const KIND_ADDRESS = 1
export const KIND_REP = 2
const ALL_KINDS = 0b111

export interface CommunityValues {
  sharedPhone: number
  sharedAddress: number
  sharedRep: number
  communitySize: number
  /** Members (other than the firm itself) flagged risky, blacklisted or dishonest, over the other members. */
  riskShare: number
  gang: boolean
  /** The component passed the size limit: the values above were not computed (keep the last snapshot's). */
  stale: boolean
}

export interface CommunityRules {
  hubCap: number
  gangMinFirms: number
  gangMinKinds: number
  /** Risky, blacklisted or dishonest firm. */
  isFlagged: (v: number) => boolean
}

/** Degree counters that decide hubness; memoised because a hub is met again from each of its firms. */
class HubCheck {
  private readonly memo = new Map<number, number>()
  constructor(private readonly g: CreditGraph, private readonly cap: number) {}
  private count(v: number, key: number, fn: () => number): number {
    const k = v * 4 + key
    let c = this.memo.get(k)
    if (c === undefined) { c = fn(); this.memo.set(k, c) }
    return c
  }
  sameDegreeOk(v: number, t: number): boolean {
    return this.count(v, t === T_SAME_PHONE ? 0 : 1, () => {
      let n = 0
      forEachIncident(this.g, v, (x, e) => { if (this.g.type[e] === t && this.g.kind[x] === KIND_ENTERPRISE) n++ })
      return n
    }) <= this.cap
  }
  repOk(p: number): boolean {
    return this.count(p, 2, () => {
      let n = 0
      forEachOut(this.g, p, (x, e) => { if (this.g.type[e] === T_LEGAL_REP && this.g.kind[x] === KIND_ENTERPRISE) n++ })
      return n
    }) <= this.cap
  }
  valueOk(index: AttributeIndex, a: number): boolean {
    return memberCount(index, a) <= this.cap
  }
}

/** Calls fn(other, kind) for each firm linked to firm u by an attribute kind in `kinds` (bit mask). */
function forEachLinked(
  g: CreditGraph, hubs: HubCheck, u: number, kinds: number, fn: (x: number, kind: number) => void,
): void {
  const viaValue = (index: AttributeIndex, a: number, kind: number): void => {
    if (a >= 0 && hubs.valueOk(index, a)) forEachMember(index, a, (x) => { if (x !== u) fn(x, kind) })
  }
  if (kinds & (1 << KIND_PHONE)) viaValue(g.phones, g.phone[u]!, KIND_PHONE)
  if (kinds & (1 << KIND_ADDRESS)) viaValue(g.addresses, g.address[u]!, KIND_ADDRESS)
  forEachIncident(g, u, (x, e, isOut) => {
    const t = g.type[e]!
    if (t === T_SAME_PHONE || t === T_SAME_ADDRESS) {
      const kind = t === T_SAME_PHONE ? KIND_PHONE : KIND_ADDRESS
      if (!(kinds & (1 << kind)) || g.kind[x] !== KIND_ENTERPRISE) return
      if (hubs.sameDegreeOk(u, t) && hubs.sameDegreeOk(x, t)) fn(x, kind)
    } else if (t === T_LEGAL_REP && !isOut && kinds & (1 << KIND_REP) && g.kind[x] === KIND_PERSON && hubs.repOk(x)) {
      forEachOut(g, x, (f, e2) => {
        if (f !== u && g.type[e2] === T_LEGAL_REP && g.kind[f] === KIND_ENTERPRISE) fn(f, KIND_REP)
      })
    }
  })
}

interface Component { members: number[]; kindsUsed: number; truncated: boolean }

function componentOf(
  g: CreditGraph, hubs: HubCheck, seed: number, kinds: number, seen: Visited, limit = Infinity,
): Component {
  const gen = nextGeneration(seen, g.nodeCount)
  seen.stamp[seed] = gen
  const members = [seed]
  let kindsUsed = 0
  for (let h = 0; h < members.length; h++) {
    if (members.length > limit) return { members, kindsUsed, truncated: true }
    forEachLinked(g, hubs, members[h]!, kinds, (x, kind) => {
      kindsUsed |= 1 << kind
      if (seen.stamp[x] !== gen) { seen.stamp[x] = gen; members.push(x) }
    })
  }
  return { members, kindsUsed, truncated: false }
}

function bitCount(m: number): number {
  let c = 0
  for (; m; m &= m - 1) c++
  return c
}

/**
 * Community values for `targets` (enterprise nodes). Each component is walked once and shared by all its
 * members that are targets, so the full pass passes every enterprise.
 */
export function computeCommunities(
  g: CreditGraph, targets: ArrayLike<number>, rules: CommunityRules, limit = Infinity,
): Map<number, CommunityValues> {
  const hubs = new HubCheck(g, rules.hubCap)
  const seen = pooledVisited(1)
  const out = new Map<number, CommunityValues>()
  const blank = (): CommunityValues =>
    ({ sharedPhone: 0, sharedAddress: 0, sharedRep: 0, communitySize: 1, riskShare: 0, gang: false, stale: false })
  for (let i = 0; i < targets.length; i++) out.set(targets[i]!, blank())
  const perKind: Array<[number, keyof CommunityValues]> =
    [[KIND_PHONE, 'sharedPhone'], [KIND_ADDRESS, 'sharedAddress'], [KIND_REP, 'sharedRep']]
  for (const [kind, field] of perKind) {
    const done = new Set<number>()
    for (let i = 0; i < targets.length; i++) {
      const v = targets[i]!
      if (done.has(v)) continue
      const c = componentOf(g, hubs, v, 1 << kind, seen, limit)
      if (c.truncated) { markStale(out, c.members, done); continue }
      for (const m of c.members) {
        const row = out.get(m)
        if (row) { (row[field] as number) = c.members.length - 1; done.add(m) }
      }
    }
  }
  const done = new Set<number>()
  for (let i = 0; i < targets.length; i++) {
    const v = targets[i]!
    if (done.has(v)) continue
    const c = componentOf(g, hubs, v, ALL_KINDS, seen, limit)
    if (c.truncated) { markStale(out, c.members, done); continue }
    let flagged = 0
    for (const m of c.members) if (rules.isFlagged(m)) flagged++
    const size = c.members.length
    const gang = size >= rules.gangMinFirms && bitCount(c.kindsUsed) >= rules.gangMinKinds
    for (const m of c.members) {
      const row = out.get(m)
      if (!row) continue
      done.add(m)
      row.communitySize = size
      // The firm's own flag is excluded: it is a feature of its own, and including it would leak the label.
      const others = flagged - (rules.isFlagged(m) ? 1 : 0)
      row.riskShare = size > 1 ? others / (size - 1) : 0
      row.gang = gang
    }
  }
  return out
}

/** Every member met is in the same oversized component: mark them all, so none walks it again. */
function markStale(out: Map<number, CommunityValues>, members: number[], done: Set<number>): void {
  for (const m of members) {
    const row = out.get(m)
    if (row) { row.stale = true; done.add(m) }
  }
}

/**
 * Firms whose community may change when `seeds` gain or lose links: the seeds' components (all kinds).
 * Components larger than `limit` are left out (their community values stay stale until the next full run).
 */
export function communityMembers(g: CreditGraph, seeds: Iterable<number>, hubCap: number, limit = Infinity): Set<number> {
  const hubs = new HubCheck(g, hubCap)
  const seen = pooledVisited(2)
  const all = new Set<number>()
  const oversized = new Set<number>()
  for (const s of seeds) {
    if (all.has(s) || g.kind[s] !== KIND_ENTERPRISE) continue
    if (oversized.has(s)) continue
    const c = componentOf(g, hubs, s, ALL_KINDS, seen, limit)
    for (const m of c.members) (c.truncated ? oversized : all).add(m)
  }
  return all
}
