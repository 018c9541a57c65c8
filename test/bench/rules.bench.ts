/**
 * Rules benchmark: the shipped admission + anti-fraud sets on the same 10,000 generated fact objects,
 * evaluated by our compiled evaluator (trace off and on), by json-rules-engine 7 (the reference) and by
 * GoRules ZEN (the same logic as one JDM decision table, hit policy collect); plus compiling 1,000 rules.
 * Every engine's result is checked against ours on every fact object (reported as mismatches).
 * Run: npx tsx test/bench/rules.bench.ts
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ZenEngine } from '@gorules/zen-engine'
import { Engine } from 'json-rules-engine'
import { compileRuleSet, factCatalogFor, loadShippedRuleSets, SHIPPED_RULES_DIR, type CompiledRuleSet, type RuleSet } from '../../src/rules/index.js'
import { printTable, type Row } from './table.js'

const N = 10_000

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Leaf = { fact: string; operator: string; value: unknown }

function leaves(node: unknown, shared: Record<string, unknown>, out: Leaf[] = []): Leaf[] {
  const n = node as Record<string, unknown>
  if (typeof n.condition === 'string') return leaves(shared[n.condition], shared, out)
  for (const k of ['all', 'any']) if (Array.isArray(n[k])) (n[k] as unknown[]).forEach((c) => leaves(c, shared, out))
  if (n.not) leaves(n.not, shared, out)
  if (typeof n.fact === 'string') out.push(n as unknown as Leaf)
  return out
}

/**
 * Well-typed applicants: each fact keeps the typical applicant's value (the cases' baseFacts) or, with
 * probability 0.2, moves near one of the rules' thresholds; most fact objects fire a few rules (the table
 * shows how many, and the share that fires nothing). Built key by key, they have too many keys for V8's
 * fast properties, like the admission facts of the decision pipeline (a spread copy plus Object.assign):
 * every read is a hash lookup, as in production.
 */
function generateFacts(sets: RuleSet[], count: number): Record<string, unknown>[] {
  const random = rng(42)
  const near = new Map<string, unknown[]>()
  for (const s of sets) for (const r of s.rules) for (const l of leaves(r.conditions, (s.conditions ?? {}) as Record<string, unknown>)) {
    near.set(l.fact, [...(near.get(l.fact) ?? []), ...(Array.isArray(l.value) ? l.value : [l.value])])
  }
  const typical: Record<string, unknown> = {}
  for (const s of sets) Object.assign(typical, (JSON.parse(readFileSync(join(SHIPPED_RULES_DIR, 'tests', `${s.id}.cases.json`), 'utf8')) as { baseFacts: object }).baseFacts)
  const catalog = factCatalogFor('admission')
  return Array.from({ length: count }, () => {
    const facts: Record<string, unknown> = {}
    for (const [fact, values] of near) {
      const spec = catalog.get(fact)
      const pick = values[Math.floor(random() * values.length)]
      if (random() >= 0.2) facts[fact] = typical[fact]
      else if (spec?.type === 'boolean') facts[fact] = random() < 0.5
      else if (spec?.type === 'category') facts[fact] = (spec.categories ?? [])[Math.floor(random() * (spec.categories?.length ?? 1))]
      else facts[fact] = typeof pick === 'number' ? pick * (0.5 + random()) + (random() < 0.5 ? 0 : 1) : pick
    }
    return facts
  })
}

/** One JDM decision table with a column per fact and a row per rule (collect hit policy). */
function toJdm(sets: RuleSet[]): object {
  const facts = [...new Set(sets.flatMap((s) => s.rules.flatMap((r) => leaves(r.conditions, (s.conditions ?? {}) as Record<string, unknown>).map((l) => l.fact))))]
  const inputs = facts.map((f, i) => ({ id: `in${i}`, name: f, field: f }))
  const op: Record<string, string> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=', equal: '==', notEqual: '!=', in: 'in' }
  const rules = sets.flatMap((s) => s.rules.map((r, ri) => {
    const isAny = 'any' in r.conditions
    // Every column needs a cell; an empty one matches anything.
    const row: Record<string, string> = { ...Object.fromEntries(inputs.map((i) => [i.id, ''])), _id: `${s.id}-${ri}`, outCode: JSON.stringify(r.event.params?.reasonCode), outType: JSON.stringify(r.event.type) }
    const byFact = new Map<string, string[]>()
    for (const l of leaves(r.conditions, (s.conditions ?? {}) as Record<string, unknown>)) {
      byFact.set(l.fact, [...(byFact.get(l.fact) ?? []), `$ ${op[l.operator]} ${JSON.stringify(l.value)}`])
    }
    for (const [fact, parts] of byFact) row[`in${facts.indexOf(fact)}`] = parts.join(isAny ? ' or ' : ' and ')
    return row
  }))
  const pos = { x: 0, y: 0 }
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request', position: pos },
      { id: 'table', type: 'decisionTableNode', name: 'admission-anti-fraud', position: pos, content: {
        hitPolicy: 'collect', inputs, rules,
        outputs: [{ id: 'outCode', name: 'reasonCode', field: 'reasonCode' }, { id: 'outType', name: 'type', field: 'type' }] } },
      { id: 'response', type: 'outputNode', name: 'response', position: pos },
    ],
    edges: [{ id: 'e1', sourceId: 'request', targetId: 'table', type: 'edge' }, { id: 'e2', sourceId: 'table', targetId: 'response', type: 'edge' }],
  }
}

function oursCodes(sets: CompiledRuleSet[], facts: Record<string, unknown>): string {
  return sets.flatMap((s) => s.evaluate(facts).events.map((e) => String(e.params?.reasonCode))).sort().join(',')
}

async function timeAsync(n: number, fn: (i: number) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await fn(i)
  return Number(process.hrtime.bigint() - start) / 1000 / n
}

function timeSync(passes: number, n: number, fn: (i: number) => void): number {
  for (let i = 0; i < n; i++) fn(i) // warm-up pass
  const start = process.hrtime.bigint()
  for (let p = 0; p < passes; p++) for (let i = 0; i < n; i++) fn(i)
  return Number(process.hrtime.bigint() - start) / 1000 / (n * passes)
}

/** A set of n admission-like rules over catalogue facts, for compile timing. */
function syntheticSet(n: number): RuleSet {
  const random = rng(7)
  const numeric = [...factCatalogFor('admission').values()].filter((f) => f.type === 'number')
  const ops = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']
  return {
    id: 'synthetic', version: '1', description: 'compile benchmark', decision: 'first-decline',
    rules: Array.from({ length: n }, (_, i) => ({
      name: `SYN-${i}`, priority: 1 + (i % 5),
      conditions: { all: Array.from({ length: 1 + (i % 3) }, () => {
        const f = numeric[Math.floor(random() * numeric.length)]!
        return { fact: f.name, operator: ops[Math.floor(random() * ops.length)]!, value: Math.round(random() * (f.range?.max ?? 100) * 100) / 100 }
      }) },
      event: { type: i % 4 === 0 ? 'refer' : 'decline', params: { reasonCode: `SYN-${i}`, reasonZh: '合成规则', reasonEn: 'synthetic rule' } },
    })),
  }
}

export async function runRulesBench(): Promise<Row[]> {
  const sets = loadShippedRuleSets().map((l) => l.ruleSet).filter((s): s is RuleSet => s !== null && (s.id === 'admission' || s.id === 'anti-fraud'))
  const compiled = sets.map((s) => compileRuleSet(s))
  const facts = generateFacts(sets, N)
  const ruleCount = sets.reduce((n, s) => n + s.rules.length, 0)

  let firedTotal = 0
  let quiet = 0
  for (const f of facts) {
    const n = compiled.reduce((k, c) => k + c.evaluate(f).fired.length, 0)
    firedTotal += n
    if (n === 0) quiet++
  }
  const oursOff = timeSync(20, N, (i) => { for (const c of compiled) c.evaluate(facts[i]!) })
  const oursOn = timeSync(5, N, (i) => { for (const c of compiled) c.evaluate(facts[i]!, { trace: true }) })

  const engines = sets.map((s) => {
    const e = new Engine([], { replaceFactsInEventParams: true })
    for (const [name, cond] of Object.entries(structuredClone(s.conditions ?? {}))) e.setCondition(name, cond as never)
    for (const r of structuredClone(s.rules)) e.addRule(r as never)
    return e
  })
  let jreMismatches = 0
  const jre = await timeAsync(N, async (i) => {
    const codes: string[] = []
    for (const e of engines) for (const ev of (await e.run(facts[i]!)).events) codes.push(String(ev.params?.reasonCode))
    if (codes.sort().join(',') !== oursCodes(compiled, facts[i]!)) jreMismatches++
  })

  const zen = new ZenEngine()
  const decision = zen.createDecision(toJdm(sets))
  let zenMismatches = 0
  const zenUs = await timeAsync(N, async (i) => {
    const out = (await decision.evaluate(facts[i]!)).result as { reasonCode: string }[]
    const got = (Array.isArray(out) ? out : []).map((r) => r.reasonCode).sort().join(',')
    if (got !== oursCodes(compiled, facts[i]!)) {
      if (zenMismatches++ === 0 && process.env.RULES_BENCH_DEBUG) console.error('ZEN', JSON.stringify(out), 'ours', oursCodes(compiled, facts[i]!), JSON.stringify(facts[i]))
    }
  })
  zen.dispose?.()

  const thousand = syntheticSet(1000)
  compileRuleSet(syntheticSet(1000)) // warm-up: the first compile also pays for JIT compilation of the compiler
  const compileTimes = Array.from({ length: 7 }, () => {
    const start = process.hrtime.bigint()
    compileRuleSet(thousand, { file: 'synthetic.json' })
    return Number(process.hrtime.bigint() - start) / 1e6
  }).sort((a, b) => a - b)
  const tenK = syntheticSet(10_000)
  const start10k = process.hrtime.bigint()
  compileRuleSet(tenK)
  const compile10k = Number(process.hrtime.bigint() - start10k) / 1e6

  const what = `${ruleCount} rules, ${N} fact objects, ${(firedTotal / N).toFixed(1)} rules fired per object, ${Math.round((100 * quiet) / N)}% none`
  return [
    { bench: 'rules', what: `ours, trace off (${what})`, value: oursOff, unit: 'µs/eval', target: '≤ 2 µs' },
    { bench: 'rules', what: 'ours, trace on', value: oursOn, unit: 'µs/eval', target: '≤ 10 µs' },
    { bench: 'rules', what: `json-rules-engine 7 (${jreMismatches} mismatches)`, value: jre, unit: 'µs/eval', ratio: jre / oursOff, target: '≥ 150× ours' },
    { bench: 'rules', what: `GoRules ZEN decision table (${zenMismatches} mismatches)`, value: zenUs, unit: 'µs/eval', ratio: zenUs / oursOff, target: '≥ 50× ours' },
    { bench: 'rules', what: 'compile 1,000 rules (median of 7, lint included)', value: compileTimes[3]!, unit: 'ms', target: '≤ 50 ms' },
    { bench: 'rules', what: 'compile 10,000 rules (lint included)', value: compile10k, unit: 'ms' },
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  printTable(await runRulesBench())
}
