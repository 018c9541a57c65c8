/**
 * Seeded randomness for the synthetic portfolio. sfc32 is small, fast in JavaScript (pure 32-bit integer
 * arithmetic, no BigInt) and passes PractRand far beyond what a portfolio of a few million rows draws.
 * Every phase of the generator takes its own stream (`new Rng(seed, 'phase')`) so that changing how many
 * numbers one phase draws does not shift the numbers of another.
 */

/** murmur3's finaliser: a cheap, well-mixing bijection on 32-bit integers. */
export function mix32(x: number): number {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A 32-bit hash of a string (FNV-1a, then mixed), for turning seeds and stream labels into state. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h)
}

/** Combines up to three words into one well-mixed 32-bit value (order matters). */
export function hashWords(a: number, b: number, c = 0): number {
  let h = mix32((0x9e3779b9 ^ mix32(a >>> 0)) + 0x7f4a7c15)
  h = mix32((h ^ mix32(b >>> 0)) + 0x7f4a7c15)
  return mix32((h ^ mix32(c >>> 0)) + 0x7f4a7c15)
}

/** `words` 32-bit words of hex derived from the key: stable pseudo-hashes for phones, addresses and ids. */
export function hexDigest(key: number, salt: number, words: number): string {
  let out = ''
  let h = hashWords(key, salt)
  for (let w = 0; w < words; w++) {
    h = mix32(h + 0x6d2b79f5 * (w + 1))
    out += h.toString(16).padStart(8, '0')
  }
  return out
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spare = Number.NaN

  constructor(seed: number | string, stream = '') {
    const s = typeof seed === 'number' ? hashWords(seed >>> 0, Math.floor(seed / 2 ** 32)) : hashString(seed)
    const t = hashString(stream)
    this.a = hashWords(s, t, 1)
    this.b = hashWords(s, t, 2)
    this.c = hashWords(s, t, 3)
    this.d = 1
    for (let i = 0; i < 15; i++) this.u32()
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Uniform integer in [lo, hi] inclusive. */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** Standard normal (Box-Muller, keeping the second value for the next call). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare
      this.spare = Number.NaN
      return mean + sd * z
    }
    const u1 = 1 - this.next() // (0, 1]: log stays finite
    const u2 = this.next()
    const r = Math.sqrt(-2 * Math.log(u1))
    this.spare = r * Math.sin(2 * Math.PI * u2)
    return mean + sd * r * Math.cos(2 * Math.PI * u2)
  }

  /** exp(N(mu, sigma)): mu and sigma are those of the logarithm. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma))
  }

  /** Poisson counts: Knuth's product method for small means, a rounded normal beyond 30. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0
    if (lambda > 30) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))))
    const limit = Math.exp(-lambda)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  /** Pareto type I: heavy right tail starting at xm; alpha near 1 gives very unequal sizes. */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.next(), 1 / alpha)
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }
}

/** A categorical distribution over indices 0..k-1, sampled by binary search on the cumulative weights. */
export class WeightedTable {
  private readonly cumulative: Float64Array

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new Error('WeightedTable needs at least one weight')
    this.cumulative = new Float64Array(weights.length)
    let sum = 0
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new Error(`weight ${i} must be a non-negative number`)
      sum += w
      this.cumulative[i] = sum
    })
    if (sum <= 0) throw new Error('weights must not all be zero')
  }

  sample(rng: Rng): number {
    const c = this.cumulative
    const x = rng.next() * c[c.length - 1]!
    let lo = 0
    let hi = c.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (c[mid]! > x) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

export function logit(p: number): number {
  return Math.log(p / (1 - p))
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf; absolute error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
  const erf = 1 - poly * Math.exp(-x * x)
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)
}

/** Inverse of normalCdf by bisection: only used for a handful of cut points, so speed does not matter. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`quantile needs 0 < p < 1, got ${p}`)
  let lo = -10
  let hi = 10
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2
    if (normalCdf(mid) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
