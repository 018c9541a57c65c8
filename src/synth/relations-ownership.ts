/**
 * Ownership and management relations, firm by firm: the legal representative (and a former one where it
 * changed in the last year), corporate parents with power-law fan-out, minority INVESTMENT stakes from
 * investment firms, person shareholders with power-law shares, and executives.
 * Edge semantics throughout: `from` is the <type> of `to` (from holds a share of to, from guarantees to).
 */
import type { RelationRow } from '../enterprises/enterprises.types.js'
import { personIdAt, usccAt } from './entity-rows.js'
import { IntList, freshPerson, isoOfDay, type PortfolioPlan } from './portfolio-plan.js'
import type { Rng } from './random.js'
import type { RelationGraphBuilder } from './relation-graph.js'

const FULL = 10_000 // shares are allocated in basis points so that they sum to at most 1 exactly
const CONTROL = 3_000

function ratioOf(bp: number): number {
  return bp / FULL
}

export function* ownershipRelations(plan: PortfolioPlan, rng: Rng, graph: RelationGraphBuilder): Generator<RelationRow> {
  const { n } = plan
  const parentPool = new IntList(Math.ceil(n * 0.12))
  const holders: number[] = []
  const holderBp: number[] = []
  const weights: number[] = []
  for (let i = 0; i < n; i++) {
    const uscc = usccAt(plan, i)
    const est = plan.establishedDay[i]!
    const since = isoOfDay(est)
    const rep = plan.legalRep[i]!
    const former = plan.formerLegalRep[i]!
    const inGang = plan.gang[i]! >= 0

    if (former >= 0) {
      const changed = isoOfDay(plan.asOfDay - rng.range(10, 360))
      yield { type: 'LEGAL_REP', fromType: 'person', fromId: personIdAt(plan, former), toType: 'enterprise', toId: uscc, since, until: changed }
      yield { type: 'LEGAL_REP', fromType: 'person', fromId: personIdAt(plan, rep), toType: 'enterprise', toId: uscc, since: changed }
    } else {
      yield { type: 'LEGAL_REP', fromType: 'person', fromId: personIdAt(plan, rep), toType: 'enterprise', toId: uscc, since }
    }
    graph.personEdge(rep, i)
    graph.personControls(rep, i)

    let remaining = FULL
    let parent = -1
    if (!inGang && i > 0 && rng.chance(0.11)) {
      // preferential attachment: a group that already has subsidiaries is likelier to found another
      parent = parentPool.length > 0 && rng.chance(0.6) ? parentPool.get(rng.int(parentPool.length)) : rng.int(n)
      if (parent !== i) {
        parentPool.push(parent)
        const u = rng.next()
        const bp = u < 0.45 ? FULL : u < 0.8 ? rng.range(CONTROL, 9_000) : rng.range(500, CONTROL - 1)
        remaining -= bp
        yield {
          type: 'SHAREHOLDER', fromType: 'enterprise', fromId: usccAt(plan, parent), toType: 'enterprise', toId: uscc,
          ratio: ratioOf(bp), since: isoOfDay(Math.max(est, plan.establishedDay[parent]!)),
        }
        graph.firmEdge(parent, i)
        if (bp >= CONTROL) graph.controls(parent, i)
      } else {
        parent = -1
      }
    }
    if (remaining > 0 && plan.investors.length > 0 && rng.chance(0.06)) {
      // u^3 piles the picks onto the first investors: a few funds hold most of the minority stakes
      const inv = plan.investors[Math.floor(plan.investors.length * rng.next() ** 3)]!
      if (inv !== i && inv !== parent) {
        const bp = Math.min(remaining, rng.range(300, 2_000))
        remaining -= bp
        yield {
          type: 'INVESTMENT', fromType: 'enterprise', fromId: usccAt(plan, inv), toType: 'enterprise', toId: uscc,
          ratio: ratioOf(bp), since: isoOfDay(Math.min(plan.asOfDay, Math.max(est, plan.establishedDay[inv]!) + rng.range(0, 400))),
        }
        graph.firmEdge(inv, i)
      }
    }

    holders.length = 0
    holderBp.length = 0
    if (remaining > 0) {
      // some registries list only the main holders, so their shares sum to less than the remainder
      if (rng.chance(0.12)) remaining = Math.floor(remaining * rng.uniform(0.5, 0.95))
      const k = Math.min(6, 1 + rng.poisson(0.75))
      weights.length = 0
      let sum = 0
      for (let j = 0; j < k; j++) {
        const w = rng.pareto(1, 1.16)
        weights.push(w)
        sum += w
      }
      weights.sort((a, b) => b - a)
      let left = remaining
      for (let j = 0; j < k; j++) {
        const person = j === 0 && rng.chance(0.75) ? rep : otherPerson(plan, rng, i)
        if (holders.includes(person)) continue
        const bp = j === k - 1 ? left : Math.min(left, Math.floor((weights[j]! / sum) * remaining))
        if (bp <= 0) continue
        left -= bp
        holders.push(person)
        holderBp.push(bp)
      }
      for (let j = 0; j < holders.length; j++) {
        const person = holders[j]!
        yield {
          type: 'SHAREHOLDER', fromType: 'person', fromId: personIdAt(plan, person), toType: 'enterprise', toId: uscc,
          ratio: ratioOf(holderBp[j]!), since,
        }
        graph.personEdge(person, i)
        if (holderBp[j]! >= CONTROL && person !== rep) graph.personControls(person, i)
      }
    }

    const executives = inGang ? 1 : Math.min(4, rng.poisson(1.25))
    const seen: number[] = []
    for (let j = 0; j < executives; j++) {
      const u = rng.next()
      const person = u < 0.35 ? rep : u < 0.6 && holders.length > 0 ? holders[rng.int(holders.length)]! : freshPerson(plan, rng)
      if (seen.includes(person)) continue
      seen.push(person)
      yield { type: 'EXECUTIVE', fromType: 'person', fromId: personIdAt(plan, person), toType: 'enterprise', toId: uscc, since }
      graph.personEdge(person, i)
    }
  }
}

/** A co-owner: inside a gang one of the gang's own people, else mostly a new person, sometimes someone who runs another firm. */
function otherPerson(plan: PortfolioPlan, rng: Rng, i: number): number {
  const g = plan.gang[i]!
  if (g >= 0) return plan.legalRep[plan.gangStart[g]! + rng.int(plan.gangSize[g]!)]!
  return rng.chance(0.7) ? freshPerson(plan, rng) : plan.legalRep[rng.int(plan.n)]!
}
