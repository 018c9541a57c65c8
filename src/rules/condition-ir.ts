/**
 * A validated condition tree turned into the intermediate form both evaluators (fast and traced) are built
 * from: shared-condition references resolved, paths parsed, operators resolved to functions, and the
 * children of all/any split into priority groups the way json-rules-engine orders them.
 */
import { conditionKind, isFactReference } from './lint-condition.js'
import { parsePath } from './json-path.js'
import { operatorMayThrow, resolveOperator, type Comparator } from './operators.js'
import { pointer as makePointer } from './schema.js'
import type { Condition } from './types.js'

export interface FactAccess {
  fact: string
  steps: readonly string[] | null
  path?: string
}

export interface FactNode {
  kind: 'fact'
  pointer: string
  priority: number
  lhs: FactAccess
  operator: string
  compare: Comparator
  /** The static value, or the fact reference that supplies it. */
  value: unknown
  rhs: FactAccess | null
  mayThrow: boolean
}
export interface GroupNode { kind: 'all' | 'any'; pointer: string; priority: number; children: IrNode[]; groups: IrNode[][] }
export interface NotNode { kind: 'not'; pointer: string; priority: number; child: IrNode }
export interface RefNode { kind: 'condition'; pointer: string; priority: number; name: string; resolved: IrNode }
export type IrNode = FactNode | GroupNode | NotNode | RefNode

export function factAccess(ref: { fact: string; path?: string }): FactAccess {
  return ref.path ? { fact: ref.fact, steps: parsePath(ref.path), path: ref.path } : { fact: ref.fact, steps: null }
}

/** Builds IR nodes; shared conditions are built once and reused by every reference. */
export class IrBuilder {
  private readonly shared = new Map<string, IrNode>()

  constructor(private readonly sharedJson: Readonly<Record<string, Condition>>) {}

  build(json: Condition, ptr: string): IrNode {
    const node = json as unknown as Record<string, unknown>
    const kind = conditionKind(node)
    const raw = node.priority
    if (kind === 'all' || kind === 'any') {
      const children = (node[kind] as Condition[]).map((c, i) => this.build(c, `${ptr}/${kind}/${i}`))
      // json-rules-engine: boolean conditions get parseInt(priority) || 1.
      const priority = Number.parseInt(String(raw), 10) || 1
      return { kind, pointer: ptr, priority, children, groups: groupByPriority(children) }
    }
    if (kind === 'not') {
      return { kind, pointer: ptr, priority: Number.parseInt(String(raw), 10) || 1, child: this.build(node.not as Condition, `${ptr}/not`) }
    }
    // Fact conditions and references keep their raw priority; a missing one counts as 1 (no engine-level facts).
    const priority = typeof raw === 'number' && raw > 0 ? raw : 1
    if (kind === 'condition') {
      const name = node.condition as string
      return { kind, pointer: ptr, priority, name, resolved: this.resolve(name) }
    }
    const operator = node.operator as string
    const compare = resolveOperator(operator)
    if (!compare) throw new Error(`Unknown operator: ${operator}`)
    const value = node.value
    const rhs = isFactReference(value) ? factAccess(value) : null
    return {
      kind: 'fact', pointer: ptr, priority, operator, compare, value, rhs,
      lhs: factAccess({ fact: node.fact as string, ...(typeof node.path === 'string' ? { path: node.path } : {}) }),
      mayThrow: operatorMayThrow(operator, value, rhs !== null),
    }
  }

  private resolve(name: string): IrNode {
    let node = this.shared.get(name)
    if (!node) {
      const json = this.sharedJson[name]
      if (!json) throw new Error(`No condition ${name} exists`)
      node = this.build(json, makePointer('conditions', name))
      this.shared.set(name, node)
    }
    return node
  }
}

/** Children grouped by priority, highest first, declaration order inside a group. */
function groupByPriority(children: IrNode[]): IrNode[][] {
  const groups = new Map<number, IrNode[]>()
  for (const c of children) groups.set(c.priority, [...(groups.get(c.priority) ?? []), c])
  return [...groups.entries()].sort(([a], [b]) => b - a).map(([, g]) => g)
}

/** Facts json-rules-engine looks up whenever this node is evaluated (later priority groups may be skipped). */
export function mustFacts(node: IrNode, out: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'fact':
      out.add(node.lhs.fact)
      if (node.rhs) out.add(node.rhs.fact)
      return out
    case 'not': return mustFacts(node.child, out)
    case 'condition': return mustFacts(node.resolved, out)
    default:
      if (node.children.length === 1) return mustFacts(node.children[0] as IrNode, out)
      for (const c of node.groups[0] ?? []) mustFacts(c, out)
      return out
  }
}

/** Operator evaluations that may throw and that json-rules-engine always performs when evaluating this node. */
export function mustThrowers(node: IrNode, out: FactNode[] = []): FactNode[] {
  switch (node.kind) {
    case 'fact':
      if (node.mayThrow) out.push(node)
      return out
    case 'not': return mustThrowers(node.child, out)
    case 'condition': return mustThrowers(node.resolved, out)
    default:
      if (node.children.length === 1) return mustThrowers(node.children[0] as IrNode, out)
      for (const c of node.groups[0] ?? []) mustThrowers(c, out)
      return out
  }
}
