/**
 * The subset of JSONPath we accept in `path`: `$` followed by `.name` and `[index]` steps. Evaluation is
 * what jsonpath-plus (json-rules-engine's resolver, `wrap: false`) returns for such paths: each step
 * follows an own property of a truthy value, and a missing step yields undefined.
 */
const PATH_RE = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/
const STEP_RE = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g

export function isSupportedPath(path: string): boolean {
  return PATH_RE.test(path)
}

/** The property names a supported path steps through; throws for an unsupported path. */
export function parsePath(path: string): string[] {
  if (!isSupportedPath(path)) throw new Error(`Unsupported JSONPath: ${path}`)
  const steps: string[] = []
  for (const m of path.matchAll(STEP_RE)) steps.push((m[1] ?? m[2]) as string)
  return steps
}

export function walkPath(value: unknown, steps: readonly string[]): unknown {
  let current = value
  for (const step of steps) {
    // jsonpath-plus follows a step only from a truthy value that owns the property (strings own indexes and length).
    if (!current || !Object.hasOwn(current as object, step)) return undefined
    current = (current as Record<string, unknown>)[step]
  }
  return current
}

/** json-rules-engine applies a path only to non-null objects; any other fact value is used as it is. */
export function applyPath(factValue: unknown, steps: readonly string[]): unknown {
  return factValue !== null && typeof factValue === 'object' ? walkPath(factValue, steps) : factValue
}
