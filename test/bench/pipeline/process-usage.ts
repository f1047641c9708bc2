import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and memory of the processes a bench watches, read from /proc (Linux only). */

/** Clock ticks a second of /proc/<pid>/stat's utime and stime. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Resident and peak resident memory of a process, MiB. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Pids of every process whose command line (arguments joined by spaces) matches. */
export function pidsOf(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) pids.push(Number(entry));
    } catch {
      /* the process is gone */
    }
  }
  return pids;
}

/**
 * Command lines of the local stack's long-lived processes (infra/up.sh, default .data/). A bare
 * /kafka\.Kafka/ is not enough: test/faults runs a second broker from .data/faults/ at times.
 */
export const STACK_PROCESS = {
  kafka: /kafka\.Kafka .*\/\.data\/kafka\/server\.properties/,
  mosquitto: /mosquitto -c .*\/\.data\/mosquitto\//,
} as const;

/** The first process whose command line matches, e.g. pidOf(STACK_PROCESS.kafka). */
export function pidOf(pattern: RegExp): number | undefined {
  return pidsOf(pattern)[0];
}

/** Peak resident memory for a report line: "412 MiB", or "n/a" without a live process. */
export function peakRss(pid: number | undefined): string {
  if (!pid) return 'n/a';
  try {
    return `${memoryMiB(pid).hwm.toFixed(0)} MiB`;
  } catch {
    return 'n/a';
  }
}

export interface ProcessUsage {
  readonly pid: number;
  /** utime + stime since the process started, seconds. */
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  /** VmHWM: the most resident memory the process ever had. */
  readonly peakRssMiB: number;
}

/** One reading of a process's CPU and memory; undefined once it is gone. */
export function processUsage(pid: number): ProcessUsage | undefined {
  try {
    const memory = memoryMiB(pid);
    return { pid, cpuSeconds: cpuSeconds(pid), rssMiB: memory.rss, peakRssMiB: memory.hwm };
  } catch {
    return undefined;
  }
}

export interface ProcessUsageOverRun {
  readonly pid: number;
  /** CPU seconds spent between the two readings. */
  readonly cpuSeconds: number;
  /** Average cores used between them (1.0 = one core busy all the time). */
  readonly cores: number;
  readonly peakRssMiB: number;
}

/**
 * What a process spent between two readings taken `seconds` apart (take `before` at the start of
 * the load, `after` at its end). The peak is the process's lifetime peak: a long-lived broker's
 * includes what it reached before the run.
 */
export function usageBetween(before: ProcessUsage, after: ProcessUsage, seconds: number): ProcessUsageOverRun {
  const cpu = after.cpuSeconds - before.cpuSeconds;
  return { pid: after.pid, cpuSeconds: cpu, cores: seconds > 0 ? cpu / seconds : 0, peakRssMiB: after.peakRssMiB };
}
