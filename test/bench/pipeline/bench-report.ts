import { writeFileSync } from 'node:fs';
import { percentiles } from '../worklist/report';
import type { AlertAccounting, StoreAccounting } from './accounting';
import { ceilingReport, kafkaCeilingLine, postgresCeilingLine, type KafkaCeiling, type PostgresCeiling } from './ceilings';
import type { GeneratorResult } from './load-generator';
import type { MosquittoCeiling } from './mosquitto-ceiling';
import { READINGS_PER_MESSAGE, VITALS_PER_MESSAGE } from './payload';
import type { ProcessUsage } from './process-usage';
import { writeTimelineSvg } from './timeline-svg';

/** One scrape of the services' counters and the consumer groups' lag. */
export interface Sample {
  t: number;
  messages: number;
  rows: number;
  evaluations: number;
  storeLag: number;
  rulesLag: number;
}

export interface Ceilings {
  mosquitto: MosquittoCeiling;
  kafka: KafkaCeiling;
  postgres: PostgresCeiling;
}

export interface RunFigures {
  settings: { devices: number; rate: number; durationS: number; outOfRangeShare: number; connections: number; database: string; pinned: boolean };
  runTag: string;
  startAt: number;
  loadEnd: number;
  /** False when the bench gave up waiting (no progress for a minute): lost counts are then not losses. */
  drained: boolean;
  drainedAt: number;
  loadSeconds: number;
  result: GeneratorResult;
  stored: StoreAccounting;
  alerts: AlertAccounting;
  samples: Sample[];
  usage: { before: Record<string, ProcessUsage[]>; after: Record<string, ProcessUsage[]>; peak: Record<string, ProcessUsage[]> };
  ceilings: Ceilings | null;
}

export function ceilingsOf(mosquitto: MosquittoCeiling, kafka: KafkaCeiling, postgres: PostgresCeiling): Ceilings {
  return { mosquitto, kafka, postgres };
}

const n = (x: number, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

/** Counter rates between the first and the last sample inside [from, to]. */
function windowRates(samples: readonly Sample[], from: number, to: number) {
  const inside = samples.filter((s) => s.t >= from && s.t <= to);
  const a = inside[0];
  const b = inside[inside.length - 1];
  if (!a || !b || b.t <= a.t) return { seconds: 0, messages: Number.NaN, rows: Number.NaN, evaluations: Number.NaN };
  const seconds = (b.t - a.t) / 1000;
  return { seconds, messages: (b.messages - a.messages) / seconds, rows: (b.rows - a.rows) / seconds, evaluations: (b.evaluations - a.evaluations) / seconds };
}

/** Prints the run, writes `${base}.json` and `${base}.svg`; returns the JSON's path. */
export function reportRun(f: RunFigures, base: string): string {
  const { settings, stored, alerts, result } = f;
  // From the start until everything was stored and evaluated: the offered rate when the pipeline keeps
  // up, its processing rate when it falls behind (then the backlog drains after the load ends).
  const rates = windowRates(f.samples, f.startAt, f.drainedAt);
  const storedMessages = rates.rows / VITALS_PER_MESSAGE;
  const evaluatedMessages = rates.evaluations / READINGS_PER_MESSAGE;
  const sustained = Math.min(storedMessages, evaluatedMessages);
  const offered = result.sent / settings.durationS;
  const processes = Object.keys(f.usage.before).map((name) => {
    const before = f.usage.before[name] ?? [];
    const after = f.usage.after[name] ?? [];
    const cpu = after.reduce((sum, u) => sum + u.cpuSeconds, 0) - before.filter((b) => after.some((a) => a.pid === b.pid)).reduce((sum, u) => sum + u.cpuSeconds, 0);
    const peak = Math.max(0, ...(f.usage.peak[name] ?? after).map((u) => u.peakRssMiB));
    return { name, processes: after.length, cores: cpu / f.loadSeconds, peakRssMiB: peak };
  });
  processes.push({ name: 'load generator', processes: 1, cores: result.cpuSeconds / f.loadSeconds, peakRssMiB: result.peakRssMiB });
  const ack = percentiles(result.ackLatencyMs);
  const c = f.ceilings;
  const ratio = (ceiling: number) => (Number.isFinite(sustained) && ceiling > 0 ? sustained / ceiling : Number.NaN);

  const json = {
    settings,
    measuredAt: new Date(f.startAt).toISOString(),
    throughput: {
      messagesPerSecond: sustained,
      vitalsPerSecond: sustained * VITALS_PER_MESSAGE,
      offeredMessagesPerSecond: offered,
      ingestedMessagesPerSecond: rates.messages,
      storedMessagesPerSecond: storedMessages,
      storedVitalsPerSecond: rates.rows,
      evaluatedMessagesPerSecond: evaluatedMessages,
      evaluatedReadingsPerSecond: rates.evaluations,
      windowSeconds: rates.seconds,
      drainSecondsAfterLoad: Math.max(0, (f.drainedAt - f.loadEnd) / 1000),
      drained: f.drained,
    },
    latency: { publishToAckMs: ack, publishToStoredMs: stored.publishToStoredMs, publishToAlertMs: alerts.publishToAlertMs, generatorMaxBehindMs: result.maxBehindMs },
    lost: stored.lost,
    accounting: { sent: result.sent, acknowledged: stored.acknowledged, refused: result.refused, stored: stored.stored, lost: stored.lost, partlyStored: stored.partlyStored, duplicated: stored.duplicated },
    alerts: { expected: alerts.expected, raised: alerts.raised, seenOnWorklist: alerts.seenOnWorklist },
    processes,
    ceilings: c
      ? {
          mosquitto: { ...c.mosquitto, pipelineRatio: ratio(c.mosquitto.messagesPerSecond) },
          kafka: { ...c.kafka, pipelineRatio: ratio(c.kafka.messagesPerSecond) },
          postgresCopy: { ...c.postgres, pipelineRatio: ratio(c.postgres.messagesPerSecond) },
        }
      : null,
    lagOverTime: f.samples.map((s) => ({ seconds: (s.t - f.startAt) / 1000, vitalsStore: s.storeLag, rulesEngine: s.rulesLag })),
    plot: `${base}.svg`,
  };
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2));
  writeTimelineSvg(`${base}.svg`, timeline(f));

  const p = (x: { p50: number; p95: number; p99: number; max: number; n: number }) => `p50 ${n(x.p50)}  p95 ${n(x.p95)}  p99 ${n(x.p99)}  max ${n(x.max)} ms  (n=${n(x.n)})`;
  console.log(`
pipeline (${n(settings.devices)} devices × ${settings.rate}/s for ${settings.durationS} s; ${settings.connections} gateway MQTT connections${settings.pinned ? '; pipeline pinned to CPU 0, generator, Mosquitto and driver to CPU 1' : ''})
  offered                  ${n(offered)} messages/s (${n(offered * VITALS_PER_MESSAGE)} vitals/s); generator behind its schedule by at most ${n(result.maxBehindMs)} ms
  ingested (gateway)       ${n(rates.messages)} messages/s
  stored                   ${n(storedMessages)} messages/s  (${n(rates.rows)} vitals/s)
  evaluated (rules)        ${n(evaluatedMessages)} messages/s  (${n(rates.evaluations)} readings/s: the BP panel and the pulse)
  sustained end to end     ${n(sustained)} messages/s  (${n(sustained * VITALS_PER_MESSAGE)} vitals/s) over ${n(rates.seconds, 1)} s from the start until drained (${n(json.throughput.drainSecondsAfterLoad, 1)} s after the load ended)
latency from the scheduled send time
  publish -> PUBACK        ${p(ack)}
  publish -> stored        ${p(stored.publishToStoredMs)}
  publish -> worklist      ${p(alerts.publishToAlertMs)}
messages: sent ${n(result.sent)}, acknowledged ${n(stored.acknowledged)}, refused ${n(result.refused)}, stored ${n(stored.stored)}, LOST ${n(stored.lost)}, partly stored ${n(stored.partlyStored)}, duplicated ${n(stored.duplicated)}
alerts: ${n(alerts.expected)} expected (first out-of-range message per device), ${n(alerts.raised)} raised, ${n(alerts.seenOnWorklist)} seen on the worklist stream
processes over the load (cores = CPU seconds / wall seconds; peak RSS = VmHWM)
${processes.map((x) => `  ${x.name.padEnd(16)} ${n(x.cores, 2).padStart(5)} cores  ${n(x.peakRssMiB).padStart(5)} MiB${x.processes > 1 ? `  (${x.processes} processes: cores summed, RSS of the largest)` : ''}`).join('\n')}${
    c
      ? `
ceilings, measured in the same run
  Mosquitto alone          ${n(c.mosquitto.messagesPerSecond).padStart(9)} messages/s  -> pipeline at ${n(ratio(c.mosquitto.messagesPerSecond) * 100, 1)} % of it
    ${n(c.mosquitto.devices)} devices publishing QoS 1 flat out into one bare subscriber for ${c.mosquitto.seconds} s (PUBACKed ${n(c.mosquitto.publishAckedPerSecond)}/s)
${ceilingReport([kafkaCeilingLine(c.kafka), postgresCeilingLine(c.postgres)], sustained)}`
      : ''
  }
plot: ${base}.svg`);
  return `${base}.json`;
}

/** Per whole second since the start: throughput from the counters, latency by the second the messages were due. */
function timeline(f: RunFigures) {
  const last = Math.ceil((f.drainedAt - f.startAt) / 1000);
  const seconds = Array.from({ length: Math.max(1, last) }, (_, i) => i + 1);
  const at = (s: number) => f.samples.reduce<Sample | undefined>((best, x) => (Math.abs(x.t - f.startAt - s * 1000) < Math.abs((best?.t ?? Infinity) - f.startAt - s * 1000) ? x : best), undefined);
  const rate = (key: 'messages' | 'rows' | 'evaluations', divisor: number) =>
    seconds.map((s) => {
      const a = at(s - 1);
      const b = at(s);
      return a && b && b.t > a.t ? ((b[key] - a[key]) * 1000) / (b.t - a.t) / divisor : null;
    });
  const perSecond = (values: readonly number[]) => seconds.map((s) => (Number.isFinite(values[s - 1]) ? (values[s - 1] as number) : null));
  return {
    title: `Pipeline: ${f.settings.devices} devices × ${f.settings.rate}/s, ${f.settings.durationS} s (${new Date(f.startAt).toISOString().slice(0, 16)}Z)`,
    seconds,
    throughput: [
      { label: 'messages/s ingested (gateway)', values: rate('messages', 1) },
      { label: 'messages/s stored', values: rate('rows', VITALS_PER_MESSAGE) },
      { label: 'messages/s evaluated', values: rate('evaluations', READINGS_PER_MESSAGE), dashed: true },
    ],
    latencyMs: [
      { label: 'publish → stored p50', values: perSecond(f.stored.perSecond.p50) },
      { label: 'publish → stored p99', values: perSecond(f.stored.perSecond.p99), dashed: true },
      { label: 'publish → worklist p50', values: perSecond(f.alerts.perSecond.p50) },
      { label: 'publish → worklist p99', values: perSecond(f.alerts.perSecond.p99), dashed: true },
    ],
    lag: [
      { label: 'vitals-store lag', values: seconds.map((s) => at(s)?.storeLag ?? null) },
      { label: 'rules-engine lag', values: seconds.map((s) => at(s)?.rulesLag ?? null) },
    ],
  };
}
