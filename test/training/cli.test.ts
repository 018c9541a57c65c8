import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { runCli } from '../../training/cli.js'
import type { ModelManifest } from '../../training/lib/manifest.js'
import { generateCreditData, toCsv } from './synthetic.js'

let dir: string
const quiet = () => {}
const FAST = ['--max-rounds', '15', '--early-stopping', '5']

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'train-cli-')) })
afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

async function file(name: string, content: string): Promise<string> {
  const p = join(dir, name)
  await writeFile(p, content)
  return p
}

describe('bad input: clear error, nothing left in --out', () => {
  const good = toCsv(generateCreditData(200, 4, 3))
  const cases: Array<[string, () => Promise<string[]>, RegExp]> = [
    ['missing target column', async () => ['--csv', await file('a.csv', good), '--target', 'nope'], /target column 'nope' is not in the file; columns are: 'x0', 'x1', 'x2', 'x3', 'bad'/],
    ['constant target', async () => ['--csv', await file('b.csv', 'a,y\n1,0\n2,0\n3,0\n'), '--target', 'y'], /target 'y' is constant/],
    ['three classes', async () => ['--csv', await file('c.csv', 'a,y\n1,0\n2,1\n3,2\n'), '--target', 'y'], /has 3 classes \(0, 1, 2\)/],
    ['no rows', async () => ['--csv', await file('d.csv', 'a,y\n'), '--target', 'y'], /header but no data rows/],
    ['empty file', async () => ['--csv', await file('e.csv', ''), '--target', 'y'], /file is empty/],
    ['junk in a numeric column', async () => ['--csv', await file('f.csv', good.replace(/\n([^,\n]*),/, '\noops,')), '--target', 'bad'], /column 'x0' is numeric but line 2 \(data row 1\) holds 'oops'/],
    ['config naming unknown features', async () => ['--csv', await file('g.csv', good), '--target', 'bad', '--config', await file('bad.json', JSON.stringify({ name: 'm', features: ['entAgeMonths', 'shoeSize'] }))], /unknown feature not in the catalogue: shoeSize/],
    ['config with a bad hyper-parameter', async () => ['--config', await file('bad2.json', JSON.stringify({ name: 'm', xgboost: { eta: 5, depth: 3 } }))], /\/xgboost\/eta: must be a number in \[0.0001, 1\][\s\S]*\/xgboost\/depth: unknown key/],
    ['config whose data source is not plugged in', async () => ['--config', await file('src.json', JSON.stringify({ name: 'm', data: { source: 'bureau-feed' } }))], /data source 'bureau-feed', which is not available/],
    ['--positive not among the labels', async () => ['--csv', await file('h.csv', good), '--target', 'bad', '--positive', 'yes'], /--positive 'yes' is not a label/],
  ]
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const out = join(dir, `out-${name.replace(/\W+/g, '-')}`)
      await expect(runCli([...(await args()), '--out', out, ...FAST], quiet)).rejects.toThrow(message)
      expect(existsSync(out)).toBe(false)
      expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([])
    })
  }
})

describe('a generated CSV end to end', () => {
  const data = generateCreditData(1200, 5, 11)
  let out: string
  let manifest: ModelManifest

  beforeAll(async () => {
    out = join(dir, 'model')
    // a byte-order mark and an unnamed row-id column, as spreadsheet exports often have
    const lines = toCsv(data).trimEnd().split('\n').map((l, i) => (i === 0 ? `,${l}` : `${i},${l}`))
    const csv = await file('ok.csv', `\uFEFF${lines.join('\n')}\n`)
    const r = await runCli(['--csv', csv, '--target', 'bad', '--out', out, '--seed', '5', ...FAST], quiet)
    expect(r.metrics.features).toBe(5)
    manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ModelManifest
  }, 30_000)

  it('writes every artifact and no temp directory', async () => {
    const files = await readdir(out)
    for (const f of ['model.onnx', 'manifest.json', 'reference.json', 'report.md', 'metrics.json', 'roc.svg', 'ks.svg', 'score-distribution.svg', 'calibration.svg']) expect(files).toContain(f)
    expect((await readdir(dir)).filter((f) => f.includes('.tmp-'))).toEqual([])
  })

  it('metrics.json has the test-split figures', async () => {
    const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'))
    expect(Object.keys(m).sort()).toEqual(['auc', 'brier', 'features', 'gini', 'ks', 'rows'])
    expect(m.rows).toBe(360)
    expect(m.auc).toBeGreaterThan(0.7)
    expect(m.gini).toBeCloseTo(2 * m.auc - 1, 12)
  })

  it('the manifest is the contract: features, kind, hashes, scaling', async () => {
    expect(manifest.kind).toBe('generic')
    expect(manifest.features).toEqual(['x0', 'x1', 'x2', 'x3', 'x4'])
    expect(manifest.training.notes.join()).toMatch(/empty header/)
    expect(manifest.input).toEqual({ name: 'features', dtype: 'float32', shape: ['N', 5] })
    const onnx = await readFile(join(out, 'model.onnx'))
    expect(manifest.artifact.sha256).toBe(createHash('sha256').update(onnx).digest('hex'))
    expect(manifest.scorecard.offset).toBeCloseTo(600 + (50 / Math.LN2) * Math.log(1 / 19), 9)
    expect(manifest.parity.maxPdDiff).toBeLessThanOrEqual(1e-6)
    // 840 training rows: rounds and settings chosen by 5-fold CV on the training split, then refitted
    expect(manifest.training.rounds.method).toMatch(/^5-fold cross-validated AUC on the training split \(840 rows\).*grid search over 8 settings.*refitted/)
    expect(manifest.training.rounds.used).toBeLessThanOrEqual(15)
    expect(Object.keys(manifest.baseline.features)).toEqual(manifest.features)
    expect(manifest.baseline.features.x3!.missingShare).toBeGreaterThan(0.05)
  })

  it('reference.json replays through the artifact', async () => {
    const ref = JSON.parse(await readFile(join(out, 'reference.json'), 'utf8')) as { input: string; rows: Array<{ features: Array<number | null>; outputs: { pd: number[]; margin: number[] } }> }
    expect(ref.rows.some((r) => r.features.includes(null))).toBe(true)
    const s = await ort.InferenceSession.create(join(out, 'model.onnx'))
    const x = Float32Array.from(ref.rows.flatMap((r) => r.features.map((v) => (v === null ? Number.NaN : v))))
    const res = await s.run({ [ref.input]: new ort.Tensor('float32', x, [ref.rows.length, 5]) })
    ref.rows.forEach((r, i) => expect(Math.abs((res.pd!.data as Float32Array)[i]! - r.outputs.pd[0]!)).toBeLessThan(1e-6))
  })

  it('a config selects catalogue features, applies their monotone directions and sets the kind', async () => {
    const names = ['taxArrears', 'entAgeMonths', 'industryRiskIndex', 'x3', 'x4']
    const csv = await file('cat.csv', toCsv(data, 'bad', names))
    const cfg = await file('cfg.json', JSON.stringify({ name: 'sme', version: '1.2.0', features: ['taxArrears', 'entAgeMonths', 'industryRiskIndex'], xgboost: { maxRounds: 15, earlyStoppingRounds: 0 } }))
    const out2 = join(dir, 'model2')
    await runCli(['--csv', csv, '--target', 'bad', '--config', cfg, '--out', out2], quiet)
    const m2 = JSON.parse(await readFile(join(out2, 'manifest.json'), 'utf8')) as ModelManifest
    expect(m2.kind).toBe('credit-risk')
    expect(m2.features).toEqual(['taxArrears', 'entAgeMonths', 'industryRiskIndex'])
    expect(m2.monotone).toEqual({ enforced: true, directions: { taxArrears: 1, entAgeMonths: -1, industryRiskIndex: 1 } })
    expect(m2.parity.monotoneSweep.violations).toBe(0)
    expect(m2.training.rounds.used).toBe(15)
  }, 30_000)
})
