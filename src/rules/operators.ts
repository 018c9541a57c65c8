/**
 * json-rules-engine 7's default operators and operator decorators, reproduced with its exact semantics:
 * an operator is `validator(factValue) && compare(factValue, value)`, and a decorated name such as
 * `not:someFact:equal` wraps the operator on its right. Behaviour worth knowing (it is what the reference does):
 * - the numeric operators accept any fact value whose `parseFloat` is not NaN ("12abc", [5]) and then use JS `<`;
 * - `in`/`notIn` call `value.indexOf(factValue)`: a string value does substring search, a value without
 *   `indexOf` (number, null, object) throws;
 * - `contains`/`doesNotContain` are false for any fact value that is not an array.
 */
export type Comparator = (factValue: unknown, value: unknown) => boolean

interface OperatorDef {
  validate: ((factValue: unknown) => boolean) | null
  compare: Comparator
}

/** json-rules-engine's number validator: `Number.parseFloat(x).toString() !== 'NaN'`. */
export function isNumberLike(factValue: unknown): boolean {
  return !Number.isNaN(Number.parseFloat(factValue as string))
}

type Indexable = { indexOf(x: unknown): number }

const BASE: Readonly<Record<string, OperatorDef>> = {
  equal: { validate: null, compare: (a, b) => a === b },
  notEqual: { validate: null, compare: (a, b) => a !== b },
  in: { validate: null, compare: (a, b) => (b as Indexable).indexOf(a) > -1 },
  notIn: { validate: null, compare: (a, b) => (b as Indexable).indexOf(a) === -1 },
  contains: { validate: Array.isArray, compare: (a, b) => (a as unknown[]).indexOf(b) > -1 },
  doesNotContain: { validate: Array.isArray, compare: (a, b) => (a as unknown[]).indexOf(b) === -1 },
  lessThan: { validate: isNumberLike, compare: (a, b) => (a as number) < (b as number) },
  lessThanInclusive: { validate: isNumberLike, compare: (a, b) => (a as number) <= (b as number) },
  greaterThan: { validate: isNumberLike, compare: (a, b) => (a as number) > (b as number) },
  greaterThanInclusive: { validate: isNumberLike, compare: (a, b) => (a as number) >= (b as number) },
}

type Decorate = (next: Comparator) => Comparator
type Some = { some(f: (x: unknown) => boolean): boolean }
type Every = { every(f: (x: unknown) => boolean): boolean }

const DECORATORS: Readonly<Record<string, { validate: ((v: unknown) => boolean) | null; decorate: Decorate }>> = {
  someFact: { validate: Array.isArray, decorate: (next) => (a, b) => (a as Some).some((x) => next(x, b)) },
  someValue: { validate: null, decorate: (next) => (a, b) => (b as Some).some((y) => next(a, y)) },
  everyFact: { validate: Array.isArray, decorate: (next) => (a, b) => (a as Every).every((x) => next(x, b)) },
  everyValue: { validate: null, decorate: (next) => (a, b) => (b as Every).every((y) => next(a, y)) },
  swap: { validate: null, decorate: (next) => (a, b) => next(b, a) },
  not: { validate: null, decorate: (next) => (a, b) => !next(a, b) },
}

export const BASE_OPERATORS: readonly string[] = Object.keys(BASE)
export const DECORATOR_NAMES: readonly string[] = Object.keys(DECORATORS)
export const NUMERIC_OPERATORS: ReadonlySet<string> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'])

function withValidator(validate: ((v: unknown) => boolean) | null, compare: Comparator): Comparator {
  return validate ? (a, b) => validate(a) && compare(a, b) : compare
}

/** The full evaluate function of an operator name, decorators applied; null when json-rules-engine has none. */
export function resolveOperator(name: string): Comparator | null {
  const base = BASE[name]
  if (base && Object.hasOwn(BASE, name)) return withValidator(base.validate, base.compare)
  const colon = name.indexOf(':')
  if (colon <= 0) return null
  const decoratorName = name.slice(0, colon)
  const decorator = Object.hasOwn(DECORATORS, decoratorName) ? DECORATORS[decoratorName] : undefined
  const inner = decorator ? resolveOperator(name.slice(colon + 1)) : null
  if (!decorator || !inner) return null
  return withValidator(decorator.validate, decorator.decorate(inner))
}

/** Whether evaluating this operator can throw for some runtime value (so evaluation order matters for errors). */
export function operatorMayThrow(name: string, value: unknown, valueIsFactRef: boolean): boolean {
  if (name === 'in' || name === 'notIn') return valueIsFactRef || !(Array.isArray(value) || typeof value === 'string')
  return name.includes(':')
}
