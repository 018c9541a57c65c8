/**
 * The part of the relation graph the ground truth needs, kept as compact edge lists while the relation
 * rows stream out: guarantees, controlling stakes, supply links and blacklist proximity.
 */
import { IntList, F_BLACKLISTED, type PortfolioPlan } from './portfolio-plan.js'

export interface RelationGraph {
  guarantor: Int32Array
  borrower: Int32Array
  /** Guaranteed amount over the guarantor's registered capital. */
  guaranteeLoad: Float32Array
  /** Firm-to-firm stakes of at least 30% (控股). */
  ctrlParent: Int32Array
  ctrlChild: Int32Array
  /** Person-to-firm control: legal representatives and holders of at least 30%. */
  ctrlPerson: Int32Array
  ctrlFirm: Int32Array
  supplier: Int32Array
  buyer: Int32Array
  /** Blacklisted persons or firms one relation away, per firm (capped at 255). */
  blacklistNear: Uint8Array
}

export class RelationGraphBuilder {
  private readonly guarantors = new IntList()
  private readonly borrowers = new IntList()
  private readonly loads: number[] = []
  private readonly parents = new IntList()
  private readonly children = new IntList()
  private readonly persons = new IntList()
  private readonly personFirms = new IntList()
  private readonly suppliers = new IntList()
  private readonly buyers = new IntList()
  readonly blacklistNear: Uint8Array

  constructor(private readonly plan: PortfolioPlan) {
    this.blacklistNear = new Uint8Array(plan.n)
  }

  private bump(i: number): void {
    if (this.blacklistNear[i]! < 255) this.blacklistNear[i]!++
  }

  private isBlackFirm(i: number): boolean {
    return (this.plan.flags[i]! & F_BLACKLISTED) !== 0
  }

  /** Any person-to-firm edge: only blacklist proximity matters here. */
  personEdge(person: number, firm: number): void {
    if (this.plan.personBlacklisted[person]) this.bump(firm)
  }

  /** Any firm-to-firm edge counts for proximity in both directions. */
  firmEdge(a: number, b: number): void {
    if (this.isBlackFirm(a)) this.bump(b)
    if (this.isBlackFirm(b)) this.bump(a)
  }

  guarantee(g: number, b: number, amount: number): void {
    this.guarantors.push(g)
    this.borrowers.push(b)
    this.loads.push(amount / this.plan.capital[g]!)
    this.firmEdge(g, b)
  }

  controls(parent: number, child: number): void {
    this.parents.push(parent)
    this.children.push(child)
  }

  personControls(person: number, firm: number): void {
    this.persons.push(person)
    this.personFirms.push(firm)
  }

  supplies(supplier: number, buyer: number): void {
    this.suppliers.push(supplier)
    this.buyers.push(buyer)
    this.firmEdge(supplier, buyer)
  }

  build(): RelationGraph {
    return {
      guarantor: this.guarantors.toArray(), borrower: this.borrowers.toArray(),
      guaranteeLoad: Float32Array.from(this.loads),
      ctrlParent: this.parents.toArray(), ctrlChild: this.children.toArray(),
      ctrlPerson: this.persons.toArray(), ctrlFirm: this.personFirms.toArray(),
      supplier: this.suppliers.toArray(), buyer: this.buyers.toArray(),
      blacklistNear: this.blacklistNear,
    }
  }
}
