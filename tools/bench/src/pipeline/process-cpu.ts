import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, and the same of the children it has waited for (cutime + cstime). */
  ownTicks: number;
  reapedChildrenTicks: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return {
    ppid: field(4),
    ownTicks: field(14) + field(15),
    reapedChildrenTicks: field(16) + field(17),
  };
}

function readStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

/**
 * CPU seconds a process has used, with its children's: the live ones' and those it has reaped (a
 * Postgres server's backends come and go; the postmaster's cutime keeps the ones that ended).
 */
export function processTreeCpuSeconds(pid: number): number {
  const root = readStat(pid);
  if (!root) return Number.NaN;
  let ticks = root.ownTicks + root.reapedChildrenTicks;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === pid) ticks += stat.ownTicks;
  }
  return ticks / TICKS_PER_SECOND;
}
