/**
 * Relations between firms beyond ownership: supply chains around core enterprises (preferential attachment
 * gives the power-law degrees of real supply networks), guarantee chains, mutual guarantees and planted
 * guarantee circles (担保圈), and the SAME_PHONE / SAME_ADDRESS edges of gangs and hub addresses.
 */
import type { RelationRow } from '../enterprises/enterprises.types.js'
import { usccAt } from './entity-rows.js'
import { IntList, STATUS_ABNORMAL, STATUS_ACTIVE, isoOfDay, type PortfolioPlan } from './portfolio-plan.js'
import type { Rng } from './random.js'
import type { RelationGraphBuilder } from './relation-graph.js'

/** Share of firms in planted circles; mutual guarantees add a few more cycles on top. */
const CIRCLE_SHARE = 0.009

function isAlive(plan: PortfolioPlan, i: number): boolean {
  const s = plan.status[i]
  return s === STATUS_ACTIVE || s === STATUS_ABNORMAL
}

function sinceBoth(plan: PortfolioPlan, rng: Rng, a: number, b: number, maxDaysBack: number): string {
  const start = Math.max(plan.establishedDay[a]!, plan.establishedDay[b]!)
  return isoOfDay(Math.max(start, plan.asOfDay - rng.range(30, maxDaysBack)))
}

export function* supplyRelations(plan: PortfolioPlan, rng: Rng, graph: RelationGraphBuilder): Generator<RelationRow> {
  const { n } = plan
  if (n < 2) return
  const pool = new IntList(n)
  const chosen: number[] = []
  for (let i = 0; i < n; i++) {
    const uscc = usccAt(plan, i)
    for (const type of ['SUPPLIER', 'CUSTOMER'] as const) {
      const k = rng.poisson(0.36)
      chosen.length = 0
      for (let j = 0; j < k; j++) {
        const partner = pool.length > 0 && rng.chance(0.5) ? pool.get(rng.int(pool.length)) : rng.int(n)
        if (partner === i || chosen.includes(partner)) continue
        chosen.push(partner)
        pool.push(partner)
        // SUPPLIER i -> p: i supplies p; CUSTOMER i -> p: i buys from p
        yield { type, fromType: 'enterprise', fromId: uscc, toType: 'enterprise', toId: usccAt(plan, partner), since: sinceBoth(plan, rng, i, partner, 2_000) }
        if (type === 'SUPPLIER') graph.supplies(i, partner)
        else graph.supplies(partner, i)
      }
    }
  }
}

export function* guaranteeRelations(plan: PortfolioPlan, rng: Rng, graph: RelationGraphBuilder): Generator<RelationRow> {
  const { n } = plan
  const alive: number[] = []
  for (let i = 0; i < n; i++) if (isAlive(plan, i)) alive.push(i)
  if (alive.length < 2) return
  const seen = new Set<number>()
  const edge = function* (g: number, b: number): Generator<RelationRow> {
    if (g === b || seen.has(g * n + b)) return
    seen.add(g * n + b)
    // a guarantee covers part of the borrower's loan, bounded by what the guarantor could plausibly back
    const amount = Math.max(100_000, Math.round(Math.min(plan.capital[b]! * rng.uniform(0.2, 1.5), plan.capital[g]! * 3) / 10_000) * 10_000)
    graph.guarantee(g, b, amount)
    yield {
      type: 'GUARANTEE', fromType: 'enterprise', fromId: usccAt(plan, g), toType: 'enterprise', toId: usccAt(plan, b),
      amount, since: sinceBoth(plan, rng, g, b, 1_100),
    }
  }

  // planted circles: firms of one district guaranteeing each other in a ring
  const inCircle = new Uint8Array(n)
  const circles = Math.round((n * CIRCLE_SHARE) / 4)
  for (let c = 0; c < circles; c++) {
    const size = rng.range(2, 6)
    const first = alive[rng.int(alive.length)]!
    if (inCircle[first]) continue
    const members = [first]
    for (let tries = 0; members.length < size && tries < 400; tries++) {
      const m = alive[rng.int(alive.length)]!
      if (inCircle[m] || members.includes(m) || plan.district[m] !== plan.district[first]) continue
      members.push(m)
    }
    if (members.length < 2) continue
    for (const m of members) inCircle[m] = 1
    for (let j = 0; j < members.length; j++) yield* edge(members[j]!, members[(j + 1) % members.length]!)
    if (members.length >= 4 && rng.chance(0.3)) yield* edge(members[0]!, members[2]!)
  }

  // chains: a borrower's guarantor is often itself a guaranteed borrower; some pairs guarantee each other
  const borrowers = new IntList()
  for (const b of alive) {
    if (!rng.chance(0.16)) continue
    const guarantors = rng.chance(0.2) ? 2 : 1
    for (let j = 0; j < guarantors; j++) {
      let g = borrowers.length > 0 && rng.chance(0.4) ? borrowers.get(rng.int(borrowers.length)) : alive[rng.int(alive.length)]!
      for (let tries = 0; tries < 3 && plan.district[g] !== plan.district[b]; tries++) g = alive[rng.int(alive.length)]!
      yield* edge(g, b)
      if (rng.chance(0.025)) yield* edge(b, g) // 互保: mutual guarantee, the smallest circle
    }
    borrowers.push(b)
  }
}

export function* sharedAttributeRelations(plan: PortfolioPlan, graph: RelationGraphBuilder): Generator<RelationRow> {
  const since = (a: number, b: number) => isoOfDay(Math.max(plan.establishedDay[a]!, plan.establishedDay[b]!))
  // gangs are small, so every sharing pair gets an edge
  for (let g = 0; g < plan.gangStart.length; g++) {
    const start = plan.gangStart[g]!
    const end = start + plan.gangSize[g]!
    for (let a = start; a < end; a++) {
      for (let b = a + 1; b < end; b++) {
        if (plan.phoneId[a] === plan.phoneId[b]) {
          yield { type: 'SAME_PHONE', fromType: 'enterprise', fromId: usccAt(plan, a), toType: 'enterprise', toId: usccAt(plan, b), since: since(a, b) }
          graph.firmEdge(a, b)
        }
        if (plan.addressId[a] === plan.addressId[b]) {
          yield { type: 'SAME_ADDRESS', fromType: 'enterprise', fromId: usccAt(plan, a), toType: 'enterprise', toId: usccAt(plan, b), since: since(a, b) }
          graph.firmEdge(a, b)
        }
      }
    }
  }
  // a hub's 30-200 tenants would make a clique of up to 20k edges; a star to the first tenant keeps them linked
  for (let h = 0; h + 1 < plan.hubOffsets.length; h++) {
    const from = plan.hubOffsets[h]!
    const to = plan.hubOffsets[h + 1]!
    if (to - from < 2) continue
    const anchor = plan.hubMembers[from]!
    const anchorUscc = usccAt(plan, anchor)
    for (let k = from + 1; k < to; k++) {
      const m = plan.hubMembers[k]!
      yield { type: 'SAME_ADDRESS', fromType: 'enterprise', fromId: usccAt(plan, m), toType: 'enterprise', toId: anchorUscc, since: since(m, anchor) }
    }
  }
}
