/** Small dependency-free SVG line and bar charts for the evaluation report. */
import type { CalibrationRow } from './scorecard.js'

const W = 480
const H = 320
const M = { l: 52, r: 16, t: 28, b: 42 }

interface Series { name: string; points: Array<[number, number]>; color: string; dash?: boolean }

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2))

function frame(title: string, xLabel: string, yLabel: string, x: [number, number], y: [number, number], body: (sx: (v: number) => number, sy: (v: number) => number) => string): string {
  const sx = (v: number) => M.l + ((v - x[0]) / (x[1] - x[0] || 1)) * (W - M.l - M.r)
  const sy = (v: number) => H - M.b - ((v - y[0]) / (y[1] - y[0] || 1)) * (H - M.t - M.b)
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  const axis = ticks.map((t) => {
    const xv = x[0] + t * (x[1] - x[0])
    const yv = y[0] + t * (y[1] - y[0])
    return `<text x="${sx(xv)}" y="${H - M.b + 16}" font-size="10" text-anchor="middle">${fmt(xv)}</text>` +
      `<text x="${M.l - 6}" y="${sy(yv) + 3}" font-size="10" text-anchor="end">${fmt(yv)}</text>` +
      `<line x1="${M.l}" x2="${W - M.r}" y1="${sy(yv)}" y2="${sy(yv)}" stroke="#eee"/>`
  }).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">` +
    `<rect width="${W}" height="${H}" fill="white"/>${axis}` +
    `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#999"/>` +
    `<text x="${W / 2}" y="18" font-size="13" text-anchor="middle">${esc(title)}</text>` +
    `<text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>` +
    `<text x="12" y="${H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${esc(yLabel)}</text>` +
    body(sx, sy) + '</svg>\n'
}

function lines(series: Series[], sx: (v: number) => number, sy: (v: number) => number): string {
  return series.map((s, i) => {
    const d = s.points.map(([a, b], k) => `${k ? 'L' : 'M'}${sx(a).toFixed(1)},${sy(b).toFixed(1)}`).join('')
    return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dash ? ' stroke-dasharray="4 3"' : ''}/>` +
      `<text x="${W - M.r - 6}" y="${M.t + 14 + i * 14}" font-size="11" text-anchor="end" fill="${s.color}">${esc(s.name)}</text>`
  }).join('')
}

/** ROC points (FPR, TPR) ordered by descending score, thinned to about 200 points. */
export function rocPoints(scores: ArrayLike<number>, y: ArrayLike<number>): Array<[number, number]> {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!)
  let pos = 0
  for (let i = 0; i < y.length; i++) pos += y[i]!
  const neg = y.length - pos
  const pts: Array<[number, number]> = [[0, 0]]
  let tp = 0
  let fp = 0
  const step = Math.max(1, Math.floor(order.length / 200))
  order.forEach((i, k) => {
    if (y[i] === 1) tp++; else fp++
    if (k % step === 0 || k === order.length - 1) pts.push([fp / (neg || 1), tp / (pos || 1)])
  })
  return pts
}

export function rocSvg(curves: Array<{ name: string; scores: ArrayLike<number>; color: string }>, y: ArrayLike<number>): string {
  return frame('ROC (test split)', 'false positive rate', 'true positive rate', [0, 1], [0, 1], (sx, sy) =>
    lines([...curves.map((c) => ({ name: c.name, points: rocPoints(c.scores, y), color: c.color })),
      { name: 'chance', points: [[0, 0], [1, 1]], color: '#aaa', dash: true }], sx, sy))
}

/** Cumulative share of bads and goods by PD rank (riskiest first); KS is the widest gap. */
export function ksSvg(pd: ArrayLike<number>, y: ArrayLike<number>, ksValue: number): string {
  const order = Array.from({ length: pd.length }, (_, i) => i).sort((a, b) => pd[b]! - pd[a]!)
  let pos = 0
  for (let i = 0; i < y.length; i++) pos += y[i]!
  const neg = y.length - pos
  const bad: Array<[number, number]> = [[0, 0]]
  const good: Array<[number, number]> = [[0, 0]]
  let b = 0
  let g = 0
  const step = Math.max(1, Math.floor(order.length / 200))
  order.forEach((i, k) => {
    if (y[i] === 1) b++; else g++
    if (k % step === 0 || k === order.length - 1) {
      bad.push([(k + 1) / order.length, b / (pos || 1)])
      good.push([(k + 1) / order.length, g / (neg || 1)])
    }
  })
  return frame(`KS curve (KS = ${ksValue.toFixed(3)})`, 'share of population, riskiest first', 'cumulative share', [0, 1], [0, 1], (sx, sy) =>
    lines([{ name: 'bads', points: bad, color: '#c0392b' }, { name: 'goods', points: good, color: '#2e86c1' }], sx, sy))
}

export function scoreDistributionSvg(score: ArrayLike<number>, y: ArrayLike<number>): string {
  const vals = Array.from(score)
  const lo = Math.floor(Math.min(...vals) / 10) * 10
  const hi = Math.ceil(Math.max(...vals) / 10) * 10 || lo + 10
  const bins = 30
  const width = (hi - lo) / bins || 1
  const hist = [new Array<number>(bins).fill(0), new Array<number>(bins).fill(0)]
  const totals = [0, 0]
  vals.forEach((v, i) => {
    const c = y[i] === 1 ? 1 : 0
    hist[c]![Math.min(bins - 1, Math.floor((v - lo) / width))]!++
    totals[c]!++
  })
  const series = [0, 1].map((c) => ({
    name: c ? 'bad' : 'good', color: c ? '#c0392b' : '#2e86c1',
    points: hist[c]!.map((h, k) => [lo + (k + 0.5) * width, h / (totals[c] || 1)] as [number, number]),
  }))
  const yMax = Math.max(...series.flatMap((s) => s.points.map((p) => p[1])), 0.01)
  return frame('Score distribution by class (test split)', 'score (points)', 'share of class', [lo, hi], [0, yMax], (sx, sy) => lines(series, sx, sy))
}

export function calibrationSvg(rows: readonly CalibrationRow[]): string {
  const used = rows.filter((r) => r.count > 0)
  const yMax = Math.max(0.05, ...used.map((r) => Math.max(r.expectedPd, r.observedRate)))
  return frame('Calibration by grade (test split)', 'grade', 'default rate', [0, Math.max(used.length, 1)], [0, yMax], (sx, sy) =>
    used.map((r, k) => {
      const x0 = sx(k + 0.15)
      const w = (sx(k + 0.85) - x0) / 2
      return `<rect x="${x0}" y="${sy(r.expectedPd)}" width="${w}" height="${sy(0) - sy(r.expectedPd)}" fill="#95a5a6"/>` +
        `<rect x="${x0 + w}" y="${sy(r.observedRate)}" width="${w}" height="${sy(0) - sy(r.observedRate)}" fill="#c0392b"/>` +
        `<text x="${x0 + w}" y="${sy(0) - 4}" font-size="9" text-anchor="middle" fill="white">${esc(r.grade)}</text>`
    }).join('') +
    `<text x="${W - M.r - 6}" y="${M.t + 14}" font-size="11" text-anchor="end" fill="#95a5a6">expected (mean PD)</text>` +
    `<text x="${W - M.r - 6}" y="${M.t + 28}" font-size="11" text-anchor="end" fill="#c0392b">observed</text>`)
}
