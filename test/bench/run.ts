import { printRecords } from './table.js'

/** `npm run bench -- <name> [<name> …]`: runs the named benchmarks (all when none is named) and prints one table. */
const BENCHES: Record<string, () => Promise<object[]>> = {
  ingest: async () => (await import('./ingest.bench.js')).runIngestBench(),
  seed: async () => (await import('./seed.bench.js')).runSeedBench(),
  graph: async () => (await import('./graph.bench.js')).runGraphBench(),
  rules: async () => (await import('./rules.bench.js')).runRulesBench(),
  train: async () => (await import('./train.bench.js')).runTrainBench(),
  warnings: async () => (await import('./warnings.bench.js')).runWarningsBench(),
  scoring: async () => (await import('./scoring.bench.js')).runScoringBench(),
  decisions: async () => (await import('./decisions.bench.js')).runDecisionsBench(),
  features: async () => (await import('./features.bench.js')).runFeaturesBench(),
  leads: async () => (await import('./leads.bench.js')).runLeadsBench(),
}

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const selected = names.length > 0 ? names : Object.keys(BENCHES)
for (const n of selected) if (!BENCHES[n]) throw new Error(`unknown benchmark ${n}; known: ${Object.keys(BENCHES).join(', ')}`)
for (const n of selected) {
  console.error(`== bench ${n}`)
  const rows = await BENCHES[n]!()
  console.log(`\n### ${n}\n`)
  printRecords(rows)
}
process.exit(0)
