/**
 * Opportunistic batching of one kind of statement: callers submit one item each; while a statement is in flight,
 * later items queue, and the next statement takes everything queued (up to `maxBatch`). A lone request runs at
 * once, so there is no added latency at low load; under load a handful of requests share one round trip, one
 * parse of the parameters and, for writes, one commit. Every caller's promise settles with its own result or
 * with the error of the statement its item was part of (then every item of that statement failed as a unit).
 */
export interface CoalescerOptions {
  /** Items per statement at most. */
  maxBatch: number
  /** Statements in flight at once; further items wait for one to finish. */
  maxInFlight: number
}

interface Pending<In, Out> { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }

export type Coalesced<In, Out> = (item: In) => Promise<Out>

/** `run` gets the batch's items in submission order and must return one result per item, in the same order. */
export function coalesce<In, Out>(run: (items: readonly In[]) => Promise<readonly Out[]>, options: CoalescerOptions): Coalesced<In, Out> {
  const queue: Pending<In, Out>[] = []
  let inFlight = 0

  function pump(): void {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch)
      inFlight++
      let statement: Promise<readonly Out[]>
      try {
        statement = run(batch.map((p) => p.item))
      } catch (err) {
        statement = Promise.reject(err)
      }
      statement.then(
        (outs) => {
          if (outs.length !== batch.length) {
            const err = new Error(`a batched statement returned ${outs.length} results for ${batch.length} items`)
            for (const p of batch) p.reject(err)
            return
          }
          for (let i = 0; i < batch.length; i++) batch[i]!.resolve(outs[i]!)
        },
        (err: unknown) => { for (const p of batch) p.reject(err) },
      ).finally(() => {
        inFlight--
        pump()
      })
    }
  }

  return (item) => new Promise<Out>((resolve, reject) => {
    queue.push({ item, resolve, reject })
    pump()
  })
}
