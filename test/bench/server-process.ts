/**
 * Servers the benchmarks and the reliability runs start as their own processes (`node --import tsx <script>`),
 * and stop with SIGTERM as an orchestrator would.
 */
import { spawn, type ChildProcess } from 'node:child_process'

/** Starts a server and resolves once its output (stdout and stderr, across chunks) matches `ready`. */
export function startServer(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir>: the servers run with --cpu-prof into that directory (each writes its profile when stopped; see README).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    // The output is kept until the server is ready (for the error if it exits first), then read and dropped.
    let out: string | null = ''
    const onData = (c: Buffer) => {
      if (out === null) return
      out += c.toString()
      if (ready.test(out)) { out = null; resolve(child) }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { if (out !== null) reject(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-2000)}`)) })
  })
}

/** Sends SIGTERM and waits for the exit: its code, or 'still running' after `timeoutMs` (then the process is killed). */
export async function stopServer(child: ChildProcess, timeoutMs = 60_000): Promise<number | null | 'still running'> {
  if (child.exitCode !== null) return child.exitCode
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'still running'>((r) => { timer = setTimeout(() => r('still running'), timeoutMs) })
  const result = await Promise.race([exited, late])
  clearTimeout(timer)
  if (result === 'still running') child.kill('SIGKILL')
  return result
}
