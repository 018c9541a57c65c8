import { describe, expect, it } from 'vitest'
import { coalesce } from '../../src/db/coalesce.js'

const tick = () => new Promise((r) => setImmediate(r))

describe('coalesce', () => {
  it('runs a lone item at once and batches what arrives while a statement is in flight', async () => {
    const batches: number[][] = []
    const release: (() => void)[] = []
    const double = coalesce(async (xs: readonly number[]) => {
      batches.push([...xs])
      await new Promise<void>((r) => release.push(r))
      return xs.map((x) => x * 2)
    }, { maxBatch: 3, maxInFlight: 1 })
    const first = double(1)
    await tick()
    expect(batches).toEqual([[1]])
    const rest = [2, 3, 4, 5, 6].map((x) => double(x))
    await tick()
    expect(batches).toEqual([[1]])
    release.shift()!()
    expect(await first).toBe(2)
    await tick()
    expect(batches).toEqual([[1], [2, 3, 4]])
    release.shift()!()
    await tick()
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]])
    release.shift()!()
    expect(await Promise.all(rest)).toEqual([4, 6, 8, 10, 12])
  })

  it('keeps up to maxInFlight statements running', async () => {
    let running = 0
    let peak = 0
    const slow = coalesce(async (xs: readonly number[]) => {
      peak = Math.max(peak, ++running)
      await new Promise((r) => setTimeout(r, 5))
      running--
      return xs
    }, { maxBatch: 1, maxInFlight: 3 })
    expect(await Promise.all(Array.from({ length: 10 }, (_, i) => slow(i)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(peak).toBe(3)
  })

  it('fails every item of a failed statement with its error, and later statements still run', async () => {
    let calls = 0
    const flaky = coalesce(async (xs: readonly string[]) => {
      calls++
      if (calls === 1) { await tick(); throw new Error('connection lost') }
      return xs.map((x) => x.toUpperCase())
    }, { maxBatch: 10, maxInFlight: 1 })
    const a = flaky('a')
    const b = flaky('b')
    await expect(a).rejects.toThrow('connection lost')
    expect(await b).toBe('B')
    expect(await flaky('c')).toBe('C')
  })

  it('rejects, never mis-assigns, when a statement returns the wrong number of results', async () => {
    const broken = coalesce(async (xs: readonly number[]) => xs.slice(1), { maxBatch: 10, maxInFlight: 1 })
    await expect(broken(1)).rejects.toThrow('returned 0 results for 1 items')
  })

  it('turns a synchronous throw into a rejection of the batch', async () => {
    const thrower = coalesce((): Promise<number[]> => { throw new TypeError('bad input') }, { maxBatch: 10, maxInFlight: 1 })
    await expect(thrower(1)).rejects.toThrow('bad input')
  })
})
