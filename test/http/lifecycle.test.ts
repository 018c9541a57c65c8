import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.js'
import { enterprise } from '../helpers/factories.js'

describe('process lifecycle', () => {
  it('graceful shutdown lets an in-flight request finish and stores its rows', async () => {
    const t = await createTestApp()
    const data = await t.headersFor('data')
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const rows = Array.from({ length: 3000 }, () => enterprise())
    // Fastify's own 'request' listener runs first, so once ours fires the request is inside Fastify.
    const arrived = new Promise((resolve) => t.app.server.once('request', resolve))
    const inFlight = fetch(`${address}/v1/enterprises/batch`, {
      method: 'POST', headers: { ...data, 'content-type': 'application/json' }, body: JSON.stringify({ enterprises: rows }),
    })
    await arrived
    const closing = t.app.close()
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ accepted: 3000, rejected: [] })
    await closing
    const count = await t.database.db.selectFrom('enterprises').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(3000)
    await t.database.drop()
  })

  it('a bad configuration value stops the boot with a message naming the variable', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: '' }, encoding: 'utf8', timeout: 30_000,
    })
    expect(result.status).toBe(78)
    expect(result.stderr).toContain('Configuration error: PORT: must be a whole number, got "eighty"')
  })
})
