/**
 * Groups of firms that share attributes: fraud gangs (团伙: a few nominee legal reps, phones and addresses
 * behind 3-15 shell firms registered in a burst) and registration-agent hubs (one address lent to 30-200
 * unrelated firms). The graph features must tell them apart, so hubs carry no extra risk at all.
 */
import type { Rng } from './random.js'
import { INDUSTRIES } from './reference-data.js'
import { districtTable, freshPerson, type PortfolioPlan } from './portfolio-plan.js'

export interface GangState {
  id: number
  end: number // first enterprise number after the gang
  district: number
  baseAgeDays: number
  industries: number[]
  legalReps: number[]
  phones: number[]
  addresses: number[]
  shareLegalRep: boolean
  sharePhone: boolean
  shareAddress: boolean
}

/** Trades that shell companies register under. */
const GANG_TRADES = ['F5191', 'F5164', 'L7212', 'L7243', 'E5012', 'F5137']
const GANG_INDUSTRIES = GANG_TRADES.map((code) => INDUSTRIES.findIndex((x) => x.code === code))

export function startGang(plan: PortfolioPlan, rng: Rng, start: number, id: number): GangState {
  const size = Math.min(rng.range(3, 15), plan.n - start)
  const pool = (k: number) => Array.from({ length: k }, (_, j) => start + j)
  const legalReps = Array.from({ length: rng.range(1, 3) }, () => {
    const p = freshPerson(plan, rng)
    // nominees (挂名法人) are often very young or elderly
    const asOfYear = new Date(plan.asOfDay * 86_400_000).getUTCFullYear()
    if (rng.chance(0.5)) plan.birthYear[p] = rng.chance(0.5) ? asOfYear - rng.range(19, 24) : asOfYear - rng.range(64, 75)
    if (rng.chance(0.15)) plan.personBlacklisted[p] = 1
    return p
  })
  let shareLegalRep = rng.chance(0.7)
  const sharePhone = rng.chance(0.8)
  const shareAddress = rng.chance(0.7)
  if (!sharePhone && !shareAddress) shareLegalRep = true
  return {
    id, end: start + size, district: districtTable.sample(rng), baseAgeDays: rng.range(60, 1100),
    industries: [rng.pick(GANG_INDUSTRIES), rng.pick(GANG_INDUSTRIES)],
    legalReps, phones: pool(rng.range(1, 2)), addresses: pool(rng.range(1, 2)),
    shareLegalRep, sharePhone, shareAddress,
  }
}

/** About 2.5% of firms sit at hub addresses; none below 500 firms, where a hub would dominate. */
export function planHubs(plan: PortfolioPlan, rng: Rng): void {
  const { n } = plan
  const hubCount = n < 500 ? 0 : Math.max(1, Math.round(n * 0.00022))
  const offsets = new Int32Array(hubCount + 1)
  const members: number[] = []
  const districts = new Uint8Array(hubCount)
  for (let h = 0; h < hubCount; h++) {
    const size = Math.min(rng.range(30, 200), Math.floor(n / 20))
    const d = districtTable.sample(rng)
    districts[h] = d
    let taken = 0
    for (let attempt = 0; taken < size && attempt < size * 20; attempt++) {
      const i = rng.int(n)
      if (plan.gang[i] !== -1 || plan.hub[i] !== -1) continue
      plan.hub[i] = h
      plan.district[i] = d
      // ids above n never collide with a firm's own address id
      plan.addressId[i] = n + h
      members.push(i)
      taken++
    }
    offsets[h + 1] = members.length
  }
  plan.hubOffsets = offsets
  plan.hubMembers = Int32Array.from(members)
  plan.hubDistrict = districts
}
