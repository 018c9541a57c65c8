/**
 * Runs an async task one call at a time: a call starts only after every earlier call has settled (whatever its
 * outcome), so overlapping reloads cannot finish out of order. `idle()` settles once the last call has.
 */
export function oneAtATime<A extends unknown[]>(task: (...args: A) => Promise<void>) {
  let last: Promise<void> = Promise.resolve()
  return {
    run(...args: A): Promise<void> {
      last = last.catch(() => {}).then(() => task(...args))
      return last
    },
    idle: (): Promise<void> => last.catch(() => {}),
  }
}
