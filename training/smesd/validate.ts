/**
 * SMEsD check that graph features add lift over company attributes alone. Run: npx tsx training/smesd/validate.ts
 * (SMESD_DIR overrides the dataset folder; SMESD_DEBUG=1 adds per-feature train/validation AUCs).
 * Graph-side labels come from the training split only: validation labels never reach a feature.
 */
import { ALL_TYPES_MASK, EDGE_TYPES } from '../../src/graph/edge-types.js'
import { KIND_ENTERPRISE, forEachIncident } from '../../src/graph/graph.js'
import { buildGraph } from '../../src/graph/graph-builder.js'
import { computeGraphFeatures, featureRow } from '../../src/graph/graph-features.js'
import { walkTwoHops } from '../../src/graph/risk-proximity.js'
import { createVisited } from '../../src/graph/scratch.js'
import { auc, ks } from '../lib/metrics.js'
import { fitLogistic, predictLogistic } from './logistic.js'
import { type SmesdCompany, SMESD_TYPE, companyId, loadSplit, toRows } from './smesd-data.js'

const DIR = process.env.SMESD_DIR ?? new URL('../../../shared/datasets/smesd', import.meta.url).pathname
const train = loadSplit(DIR, 'train')
const valid = loadSplit(DIR, 'valid')
if (!train || !valid) {
  console.log(`SMEsD not found in ${DIR} (smesd_train.json, smesd_valid.json): validation skipped.`)
  process.exit(0)
}

const rows = toRows([train, valid])
const g = buildGraph(rows.enterprises, rows.persons, rows.relations)
const lawsuits = new Map<string, number>()
for (const c of [...train.companies, ...valid.companies]) lawsuits.set(companyId(c.company_id), c.lawsuits.length)
const trainBad = new Set(train.companies.filter((c) => c.label === 1).map((c) => companyId(c.company_id)))
const trainLabel = new Map(train.companies.map((c) => [companyId(c.company_id), c.label]))
const priorBad = trainBad.size / train.companies.length

const allTypes = Object.fromEntries(EDGE_TYPES.map((t) => [t, 1]))
const features = computeGraphFeatures(g, {
  risky: trainBad,
  // Litigated companies play the part of the dishonest parties: the only public risk events in SMEsD.
  dishonest: new Set([...lawsuits].filter(([, n]) => n > 0).map(([u]) => u)),
  now: 0,
  params: { blacklistTypes: EDGE_TYPES, defaultedTypes: EDGE_TYPES, riskWeights: allTypes, hubCap: 50 },
})
const ordinal = new Map(features.usccs.map((u, i) => [u, i]))
const seen = createVisited(g.nodeCount)

/** Relational features the catalogue does not hold: lawsuits around the firm and a smoothed neighbour default rate. */
function relational(uscc: string): number[] {
  const v = g.enterpriseIndex.get(uscc)!
  let suits1 = 0
  let suits2 = 0
  let known = 0
  let bad = 0
  walkTwoHops(g, v, ALL_TYPES_MASK, seen, (x, dist) => {
    if (g.kind[x] !== KIND_ENTERPRISE) return
    const n = lawsuits.get(g.ids[x]!) ?? 0
    if (dist === 1) suits1 += n
    suits2 += n
    const label = trainLabel.get(g.ids[x]!)
    if (label !== undefined) { known++; bad += label }
  })
  // wvRN-style rate shrunk to the prior, so one labelled neighbour does not give 0 or 1.
  const rate = (bad + 2 * priorBad) / (known + 2)
  return [Math.log1p(suits1), Math.log1p(suits2), rate, Math.log1p(known)]
}

function typeDegrees(uscc: string): number[] {
  const deg = new Array<number>(SMESD_TYPE.length).fill(0)
  forEachIncident(g, g.enterpriseIndex.get(uscc)!, (_, e) => { deg[g.type[e]!]!++ })
  return deg.map((d) => Math.log1p(d))
}

const topCodes = (() => {
  const counts = new Map<number, number>()
  for (const c of train.companies) counts.set(c.attr[2], (counts.get(c.attr[2]) ?? 0) + 1)
  return [...counts].filter(([, n]) => n >= 40).map(([code]) => code)
})()
function attributes(c: SmesdCompany): number[] {
  const [capital, paid, code] = c.attr
  return [Math.log1p(Math.max(0, capital)), Math.log1p(Math.max(0, paid)), capital > 0 ? Math.min(paid / capital, 5) : 0,
    ...topCodes.map((k) => (k === code ? 1 : 0))]
}
const ownSuits = (c: SmesdCompany): number[] => [Math.log1p(c.lawsuits.length),
  Math.log1p(c.lawsuits.filter((l) => l[2] === 0).length)]
/** Graph features that use no label: litigated parties nearby, lawsuits around, structure and centrality. */
function labelFree(c: SmesdCompany): number[] {
  const u = companyId(c.company_id)
  const r = featureRow(features, ordinal.get(u)!)
  const rel = relational(u)
  return [
    Math.log1p(r.blacklistWithin1Hop), Math.log1p(r.blacklistWithin2Hops), Math.log1p(r.communitySize), r.gangFlag,
    Math.log(r.pageRank + 1e-6), rel[0]!, rel[1]!, ...typeDegrees(u),
  ]
}
/** Graph features built from neighbours' training labels. */
function labelBased(c: SmesdCompany): number[] {
  const u = companyId(c.company_id)
  const r = featureRow(features, ordinal.get(u)!)
  const rel = relational(u)
  // defaultProximity is left out: a training defaulter is a PPR seed and keeps its own teleport mass, so the
  // feature encodes the row's own label (train AUC 0.92, validation 0.52 when included).
  return [Math.log1p(r.defaultedNeighbours1Hop), Math.log1p(r.neighbourRiskScore), r.communityRiskShare, rel[2]!, rel[3]!]
}

const sets: Array<[string, (c: SmesdCompany) => number[]]> = [
  ['attributes only', attributes],
  ['attributes + own lawsuits', (c) => [...attributes(c), ...ownSuits(c)]],
  ['attributes + label-free graph', (c) => [...attributes(c), ...labelFree(c)]],
  ['attributes + label-based graph', (c) => [...attributes(c), ...labelBased(c)]],
  ['attributes + all graph', (c) => [...attributes(c), ...labelFree(c), ...labelBased(c)]],
  ['attributes + own lawsuits + all graph', (c) => [...attributes(c), ...ownSuits(c), ...labelFree(c), ...labelBased(c)]],
]
const yTrain = train.companies.map((c) => c.label)
const yValid = valid.companies.map((c) => c.label)
console.log(`SMEsD: ${train.companies.length} train / ${valid.companies.length} validation companies, ` +
  `${g.enterpriseCount} firms and ${g.nodeCount - g.enterpriseCount} persons, ${g.edgeCount} relations`)
console.log('model: logistic regression, standardised features, L2 = 1 (same for every set)')
const results: number[] = []
for (const [name, fn] of sets) {
  const model = fitLogistic(train.companies.map(fn), yTrain)
  const p = predictLogistic(model, valid.companies.map(fn))
  const a = auc(p, yValid)
  results.push(a)
  console.log(`${name.padEnd(40)} features ${String(fn(train.companies[0]!).length).padStart(3)}  ` +
    `validation AUC ${a.toFixed(4)}  KS ${ks(p, yValid).toFixed(4)}`)
}
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`
console.log(`delta AUC, attributes + all graph vs attributes only: ${signed(results[4]! - results[0]!)}`)
console.log(`delta AUC, + own lawsuits + all graph vs attributes + own lawsuits: ${signed(results[5]! - results[1]!)}`)
if (process.env.SMESD_DEBUG) {
  const names = ['lit1', 'lit2', 'commSize', 'gang', 'pr', 'suits1', 'suits2', ...SMESD_TYPE.map((t) => `deg${t}`),
    'def1', 'riskScore', 'commRisk', 'rate', 'known']
  const tr = train.companies.map((c) => [...labelFree(c), ...labelBased(c)])
  const va = valid.companies.map((c) => [...labelFree(c), ...labelBased(c)])
  names.forEach((n, j) => {
    const mt = tr.reduce((s, r) => s + r[j]!, 0) / tr.length
    const mv = va.reduce((s, r) => s + r[j]!, 0) / va.length
    console.log(n.padEnd(16), 'train AUC', auc(tr.map((r) => r[j]!), yTrain).toFixed(3), 'valid AUC',
      auc(va.map((r) => r[j]!), yValid).toFixed(3), 'mean tr/va', mt.toFixed(3), mv.toFixed(3))
  })
}
