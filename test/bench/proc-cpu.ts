/**
 * CPU time of processes from Linux's /proc (user + system), for a benchmark's CPU budget per request: the
 * service under test is one child process, PostgreSQL is every process named postgres on this machine.
 * On a system without /proc these return NaN and the budget columns are left empty.
 */
import { readFileSync, readdirSync } from 'node:fs'

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux architecture Node.js supports. */
const TICK_MS = 10

/** The process's own CPU; with `reaped`, also that of its children that have exited and been waited for. */
export function processCpuMs(pid: number, reaped = false): number {
  try {
    // The command name (field 2) may contain spaces and parentheses; the fields after its last ')' are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const own = Number(fields[11]) + Number(fields[12])
    return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS
  } catch {
    return Number.NaN
  }
}

/**
 * Summed over the PostgreSQL processes, with the CPU of the backends that have exited (the postmaster reaps
 * them, so it counts as the postmaster's children's time): a pool closing an idle connection between two
 * readings no longer makes the difference negative.
 */
export function postgresCpuMs(): number {
  let total = 0
  let seen = 0
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p))
  } catch {
    return Number.NaN
  }
  for (const pid of pids) {
    let comm: string
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8')
    } catch {
      continue
    }
    if (!comm.startsWith('postgres')) continue
    const ms = processCpuMs(Number(pid), true)
    if (!Number.isNaN(ms)) { total += ms; seen++ }
  }
  return seen > 0 ? total : Number.NaN
}
