import { readFileSync } from 'node:fs';
import { CLK_TCK, cpuSeconds, memoryMiB, pidsOf } from '../pipeline/process-usage';

/** Busy and total CPU seconds of the whole machine (all cores) from /proc/stat. */
function machineSeconds(): { busy: number; total: number } {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/** CPU seconds of every process whose command line matches (PostgreSQL backends, the Kafka JVM). */
function groupSeconds(pattern: RegExp): number {
  return pidsOf(pattern).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

interface CpuSnapshot {
  at: number;
  careApi: number;
  bench: number;
  postgres: number;
  kafka: number;
  machineBusy: number;
  machineTotal: number;
}

export interface ResourceFigures {
  seconds: number;
  /** Average cores used over the window (1.0 = one core busy all the time). */
  cores: { careApi: number; bench: number; postgres: number; kafka: number; machine: number };
  /** Cores of the machine (the busiest it could be). */
  machineCores: number;
  careApiPeakCores1s: number;
  careApiRssMiB: { start: number; peak: number; end: number; hwm: number };
}

/**
 * care-api's CPU and memory sampled every second over the load, with the other busy processes of
 * the box (PostgreSQL, Kafka, the bench itself) so a saturated machine shows as such. PostgreSQL
 * backends that exit within the window lose their ticks (care-api's pool keeps its own open).
 */
export class ResourceSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly samples: { at: number; cpu: number; rss: number }[] = [];
  private first: CpuSnapshot | null = null;

  constructor(private readonly pid: number) {}

  private snapshot(): CpuSnapshot {
    const machine = machineSeconds();
    const self = process.cpuUsage();
    return {
      at: Date.now(),
      careApi: cpuSeconds(this.pid),
      bench: (self.user + self.system) / 1e6,
      postgres: groupSeconds(/^postgres/),
      kafka: groupSeconds(/kafka\.Kafka/),
      machineBusy: machine.busy,
      machineTotal: machine.total,
    };
  }

  start(): void {
    this.first = this.snapshot();
    const sample = () => this.samples.push({ at: Date.now(), cpu: cpuSeconds(this.pid), rss: memoryMiB(this.pid).rss });
    sample();
    this.timer = setInterval(sample, 1_000);
  }

  stop(): ResourceFigures {
    if (this.timer) clearInterval(this.timer);
    const first = this.first ?? this.snapshot();
    const last = this.snapshot();
    const seconds = (last.at - first.at) / 1000;
    const per = (key: 'careApi' | 'bench' | 'postgres' | 'kafka') => (last[key] - first[key]) / seconds;
    const memory = memoryMiB(this.pid);
    const rss = this.samples.map((s) => s.rss);
    const peakCores = this.samples.slice(1).reduce((peak, s, i) => {
      const prev = this.samples[i];
      return prev ? Math.max(peak, (s.cpu - prev.cpu) / ((s.at - prev.at) / 1000)) : peak;
    }, 0);
    return {
      seconds,
      cores: { careApi: per('careApi'), bench: per('bench'), postgres: per('postgres'), kafka: per('kafka'), machine: (last.machineBusy - first.machineBusy) / seconds },
      machineCores: Math.round((last.machineTotal - first.machineTotal) / seconds),
      careApiPeakCores1s: peakCores,
      careApiRssMiB: { start: rss[0] ?? memory.rss, peak: Math.max(memory.rss, ...rss), end: memory.rss, hwm: memory.hwm },
    };
  }
}
