/** L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS). */

export interface LogisticModel {
  mean: Float64Array
  scale: Float64Array
  /** weights[0] is the intercept. */
  weights: Float64Array
}

function solve(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length
  const M = A.map((row, i) => { const r = new Float64Array(n + 1); r.set(row); r[n] = b[i]!; return r })
  for (let c = 0; c < n; c++) {
    let piv = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[piv]![c]!)) piv = r
    const tmp = M[c]!; M[c] = M[piv]!; M[piv] = tmp
    const p = M[c]![c]!
    for (let r = c + 1; r < n; r++) {
      const k = M[r]![c]! / p
      if (k !== 0) for (let j = c; j <= n; j++) M[r]![j]! -= k * M[c]![j]!
    }
  }
  const x = new Float64Array(n)
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!
    for (let j = r + 1; j < n; j++) s -= M[r]![j]! * x[j]!
    x[r] = s / M[r]![r]!
  }
  return x
}

export function fitLogistic(X: number[][], y: number[], l2 = 1, iterations = 25): LogisticModel {
  const d = X[0]?.length ?? 0
  const mean = new Float64Array(d)
  const scale = new Float64Array(d)
  for (const row of X) row.forEach((v, j) => { mean[j]! += v / X.length })
  for (const row of X) row.forEach((v, j) => { scale[j]! += (v - mean[j]!) ** 2 / X.length })
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1
  const Z = X.map((row) => [1, ...row.map((v, j) => (v - mean[j]!) / scale[j]!)])
  const w = new Float64Array(d + 1)
  for (let it = 0; it < iterations; it++) {
    const grad = new Float64Array(d + 1)
    const H = Array.from({ length: d + 1 }, () => new Float64Array(d + 1))
    Z.forEach((z, i) => {
      let eta = 0
      for (let j = 0; j <= d; j++) eta += w[j]! * z[j]!
      const p = 1 / (1 + Math.exp(-eta))
      const r = p * (1 - p)
      for (let j = 0; j <= d; j++) {
        grad[j]! += (p - y[i]!) * z[j]!
        for (let k = 0; k <= j; k++) H[j]![k]! += r * z[j]! * z[k]!
      }
    })
    // The intercept is not penalised.
    for (let j = 1; j <= d; j++) { grad[j]! += l2 * w[j]!; H[j]![j]! += l2 }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) H[k]![j] = H[j]![k]!
    const step = solve(H, grad)
    let change = 0
    for (let j = 0; j <= d; j++) { w[j]! -= step[j]!; change += Math.abs(step[j]!) }
    if (change < 1e-9) break
  }
  return { mean, scale, weights: w }
}

export function predictLogistic(m: LogisticModel, X: number[][]): number[] {
  return X.map((row) => {
    let eta = m.weights[0]!
    row.forEach((v, j) => { eta += m.weights[j + 1]! * ((v - m.mean[j]!) / m.scale[j]!) })
    return 1 / (1 + Math.exp(-eta))
  })
}
