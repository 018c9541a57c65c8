import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

describe('configuration', () => {
  it('defaults to the embedded database with demo data', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, pgliteDir: './data/pglite', demoData: true, demoEnterprises: 20000, logLevel: 'info' })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('turns demo data off by default on PostgreSQL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/db' }).demoData).toBe(false)
    expect(loadConfig({ DATABASE_URL: 'postgres://u@localhost:5432/db', DEMO_DATA: 'on' }).demoData).toBe(true)
  })

  it.each([
    ['PORT', 'abc'], ['PORT', '70000'], ['DATABASE_URL', 'mysql://x'], ['DEMO_DATA', 'maybe'],
    ['DEMO_ENTERPRISES', '-5'], ['LOG_LEVEL', 'loud'], ['BOOTSTRAP_ADMIN_KEY', 'short'], ['HOST', 'bad host'],
  ])('stops on a bad %s naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `))
  })
})
