import { describe, expect, it } from 'vitest'
import { oneAtATime } from '../../src/shared/one-at-a-time.js'

describe('oneAtATime', () => {
  it('starts each call after the earlier ones settle, in call order, even when one fails', async () => {
    const events: string[] = []
    const delays = [30, 1, 10]
    const task = oneAtATime(async (i: number) => {
      events.push(`start ${i}`)
      await new Promise((r) => setTimeout(r, delays[i]))
      events.push(`end ${i}`)
      if (i === 1) throw new Error('reload failed')
    })
    const runs = [task.run(0), task.run(1), task.run(2)]
    await expect(runs[1]).rejects.toThrow('reload failed')
    await task.idle()
    await Promise.all([runs[0], runs[2]])
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2'])
  })

  it('idle settles without throwing after a failed last call', async () => {
    const task = oneAtATime(async () => { throw new Error('boom') })
    await expect(task.run()).rejects.toThrow('boom')
    await expect(task.idle()).resolves.toBeUndefined()
  })
})
