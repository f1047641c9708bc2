/**
 * CPU affinity for benches on one box (issue 8): the pipeline on some CPUs, the load generator and
 * the broker it publishes to on others, so a generator beside the pipeline neither starves it nor is
 * starved by it, as if it ran on another machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';

/** The process and all its descendants (a PostgreSQL postmaster's backends, say). */
export function withDescendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parentOf) if (ppid === found[i]) found.push(pid);
  return found;
}

/**
 * Every thread of these processes, and of their descendants unless told not to (a bench driver's
 * children are the services it measures), on `cpus` (taskset's list: "0", "1", "0-1"); children
 * forked later (PostgreSQL backends) inherit it. Returns how many processes were pinned.
 */
export function pinToCpus(roots: readonly (number | undefined)[], cpus: string, { descendants = true } = {}): number {
  let pinned = 0;
  for (const root of roots) {
    if (!root) continue;
    for (const pid of descendants ? withDescendants(root) : [root]) {
      try {
        execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
        pinned++;
      } catch {
        // Exited meanwhile.
      }
    }
  }
  return pinned;
}

/** Every CPU of the machine, as taskset writes them ("0-1"). */
export function allCpus(): string {
  return readFileSync('/sys/devices/system/cpu/online', 'utf8').trim();
}

/** The pid listening on this TCP port (a PostgreSQL postmaster, say). */
export function listenerPid(port: number): number | undefined {
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  return pid ? Number(pid) : undefined;
}

/**
 * A CPU quota (a fraction of a core) for a set of processes, through a cgroup of its own: cgroup v1's
 * cpu controller (cpu.cfs_quota_us) or v2's cpu.max. For a bench that must overload the pipeline at
 * three times what it sustains when the load generator beside it cannot offer that much. Children
 * forked later (PostgreSQL backends) join the group too. Root only.
 */
export class CpuQuota {
  private readonly dir: string;
  private readonly v2: boolean;

  constructor(name: string, cores: number) {
    if (!(cores >= 0.01)) throw new Error(`a CPU quota must be at least 0.01 of a core, not ${cores}`);
    const v1 = '/sys/fs/cgroup/cpu';
    const v2Enabled = (): boolean => {
      try {
        return readFileSync('/sys/fs/cgroup/cgroup.subtree_control', 'utf8').split(/\s+/).includes('cpu');
      } catch {
        return false;
      }
    };
    this.v2 = !existsSync(`${v1}/cpu.cfs_quota_us`);
    if (this.v2 && !v2Enabled()) throw new Error('no cgroup CPU quota here (cgroup v1 cpu.cfs_quota_us, or v2 with cpu in cgroup.subtree_control)');
    const root = this.v2 ? '/sys/fs/cgroup' : v1;
    // One group per run: two runs at once would share and then remove each other's.
    this.dir = `${root}/${name}-${process.pid}`;
    mkdirSync(this.dir, { recursive: true });
    const periodUs = 100_000;
    const quotaUs = Math.round(cores * periodUs);
    try {
      if (this.v2) writeFileSync(`${this.dir}/cpu.max`, `${quotaUs} ${periodUs}`);
      else {
        writeFileSync(`${this.dir}/cpu.cfs_period_us`, String(periodUs));
        writeFileSync(`${this.dir}/cpu.cfs_quota_us`, String(quotaUs));
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  /** These processes and their descendants into the group; returns how many. */
  add(roots: readonly (number | undefined)[]): number {
    let added = 0;
    for (const root of roots) {
      if (!root) continue;
      for (const pid of withDescendants(root)) {
        try {
          writeFileSync(`${this.dir}/cgroup.procs`, String(pid));
          added++;
        } catch {
          // Exited meanwhile.
        }
      }
    }
    return added;
  }

  /** Whatever is still in the group back to the root group, and the group removed; never throws. */
  remove(): void {
    try {
      for (const pid of readFileSync(`${this.dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
        try {
          writeFileSync(`${this.dir}/../cgroup.procs`, pid);
        } catch {
          // Exited meanwhile.
        }
      }
      rmdirSync(this.dir);
    } catch (error) {
      console.error(`could not remove the cgroup ${this.dir} (rmdir it once its processes are gone): ${String(error)}`);
    }
  }
}
