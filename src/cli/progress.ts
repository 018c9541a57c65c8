/** A progress reporter for long commands: a redrawn bar on a terminal, a line every few seconds otherwise. */
export function createProgress(mode: 'bar' | 'lines' | 'none', out: NodeJS.WriteStream = process.stderr) {
  const started = Date.now()
  let lastLine = 0
  return {
    update(phase: string, done: number, total: number): void {
      if (mode === 'none') return
      const now = Date.now()
      const rate = done / Math.max((now - started) / 1000, 0.001)
      const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0
      if (mode === 'bar') {
        const width = 30
        const filled = Math.round((pct / 100) * width)
        out.write(`\r${phase.padEnd(12)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct.toFixed(0).padStart(3)}% ${done}/${total} ${Math.round(rate)}/s   `)
        if (done >= total) out.write('\n')
      } else if (now - lastLine > 2000 || done >= total) {
        lastLine = now
        out.write(`${phase}: ${done}/${total} (${pct.toFixed(0)}%, ${Math.round(rate)}/s)\n`)
      }
    },
  }
}
