import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRuleSetFile, SHIPPED_RULES_DIR } from '../../src/rules/index.js'

const dir = mkdtempSync(join(tmpdir(), 'rules-'))
const admission = JSON.parse(readFileSync(join(SHIPPED_RULES_DIR, 'admission.json'), 'utf8'))
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/rules.ts', ...args], { encoding: 'utf8' })

describe('loadRuleSetFile', () => {
  it('locates JSON syntax errors and lint errors by file', () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{ "id": ')
    expect(loadRuleSetFile(broken)).toMatchObject({ ruleSet: null, errors: [{ file: broken, code: 'invalid_json', pointer: '' }] })
    const bad = join(dir, 'admission.json')
    const doc = structuredClone(admission)
    doc.rules[3].conditions.all[0].value = 'three'
    writeFileSync(bad, JSON.stringify(doc))
    expect(loadRuleSetFile(bad).errors).toEqual([{ file: bad, rule: doc.rules[3].name, pointer: '/rules/3/conditions/all/0/value', code: 'value_type', message: expect.any(String) }])
  })
})

describe('cli', () => {
  it('lint exits 0 on a shipped file and 1 with located errors on a bad one', () => {
    expect(cli('lint', 'rules/anti-fraud.json').status).toBe(0)
    const bad = join(dir, 'anti-fraud.json')
    writeFileSync(bad, JSON.stringify({ ...admission, id: 'anti-fraud', rules: [{ ...admission.rules[0], event: { type: 'decline', params: {} } }] }))
    const out = cli('lint', bad)
    expect(out.status).toBe(1)
    expect(out.stdout).toContain(`${bad}: error reason_code rule=ADM-ENT-AGE /rules/0/event/params/reasonCode`)
  })

  it('test runs the cases of the set and diff shows changed rules', () => {
    const tested = cli('test', 'rules/warning-propagation.json')
    expect([tested.status, tested.stdout]).toEqual([0, expect.stringMatching(/15 passed, 0 failed/)])
    const changed = join(dir, 'admission-changed.json')
    writeFileSync(changed, JSON.stringify({ ...admission, rules: admission.rules.slice(1) }))
    const d = cli('diff', changed)
    expect([d.status, d.stdout]).toEqual([0, expect.stringContaining('- rule ADM-ENT-AGE')])
  })
})
