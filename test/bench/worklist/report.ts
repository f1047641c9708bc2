import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ledger } from './ledger';
import type { ResourceFigures } from './proc';
import type { SequencerFigures } from './sequencer-watch';
import { deliveryCounts, type Screen } from './screen';

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles, ms rounded to 0.1. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (p: number) => Math.round((sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN) * 10) / 10;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export interface BenchSettings {
  screens: number;
  nurses: number;
  admins: number;
  careTeams: number;
  patients: number;
  rate: number;
  duration: number;
  warmup: number;
  port: number;
  runId: string;
}

/** Where each alert's time went, from its first delivery (the first screen to show it). */
function stages(ledger: Ledger) {
  const measured = ledger.alerts.filter((a) => !a.warmup && !a.failed);
  const of = (f: (i: number) => number) => percentiles(measured.map((a) => f(a.index)));
  const first = (i: number) => ledger.firstReceivedAt[i] ?? Number.NaN;
  const applied = (i: number) => ledger.appliedAt[i] ?? Number.NaN;
  const alert = (i: number) => ledger.alerts[i];
  return {
    publishLag: of((i) => (alert(i)?.sentAt ?? Number.NaN) - (alert(i)?.scheduledAt ?? Number.NaN)),
    produceAck: of((i) => (alert(i)?.ackedAt ?? Number.NaN) - (alert(i)?.sentAt ?? Number.NaN)),
    scheduledToApplied: of((i) => applied(i) - (alert(i)?.scheduledAt ?? Number.NaN)),
    appliedToFirstScreen: of((i) => first(i) - applied(i)),
    firstToLastScreen: of((i) => (ledger.lastReceivedAt[i] ?? Number.NaN) - first(i)),
    firstScreen: of((i) => first(i) - (alert(i)?.scheduledAt ?? Number.NaN)),
  };
}

/** Per second of the schedule: records sent, deliveries and their latency (a backlog shows as a climb). */
function timeline(ledger: Ledger) {
  const start = ledger.alerts[0]?.scheduledAt ?? 0;
  const buckets = new Map<number, { sent: number; latencies: number[] }>();
  const bucket = (t: number) => {
    const second = Math.floor((t - start) / 1000);
    let b = buckets.get(second);
    if (!b) buckets.set(second, (b = { sent: 0, latencies: [] }));
    return b;
  };
  for (const a of ledger.alerts) bucket(a.scheduledAt).sent++;
  ledger.latencies.forEach((latency, k) => {
    const a = ledger.alerts[ledger.latencyAlert[k] ?? -1];
    if (a) bucket(a.scheduledAt).latencies.push(latency);
  });
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([second, b]) => {
      const p = percentiles(b.latencies);
      return { second, sent: b.sent, deliveries: p.n, p50: p.p50, p99: p.p99, max: p.max };
    });
}

const ms = (v: number) => `${Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a'} ms`;
const line = (p: Percentiles) => `p50 ${ms(p.p50)}  p95 ${ms(p.p95)}  p99 ${ms(p.p99)}  max ${ms(p.max)}`;
const n = (v: number) => v.toLocaleString('en-US');

/** Prints the summary and writes the JSON result; returns its path. */
export interface Observed {
  resources: ResourceFigures;
  sequencer: SequencerFigures;
  drainedInMs: number;
}

export function report(settings: BenchSettings, ledger: Ledger, screens: readonly Screen[], { resources, sequencer, drainedInMs }: Observed): string {
  const latency = percentiles(ledger.latencies);
  const deliveries = deliveryCounts(screens, ledger);
  const stage = stages(ledger);
  const sent = ledger.alerts.filter((a) => Number.isFinite(a.sentAt));
  const failed = ledger.alerts.filter((a) => a.failed).length;
  const firstSent = sent[0]?.sentAt ?? 0;
  const lastSent = sent[sent.length - 1]?.sentAt ?? 0;
  const achievedRate = sent.length > 1 ? (sent.length - 1) / ((lastSent - firstSent) / 1000) : 0;
  const closedEarly = screens.filter((s) => s.closedEarly).map((s) => s.name);
  const c = resources.cores;

  console.log(`
worklist push latency (care-api on :${settings.port}, run ${settings.runId})
  screens        ${settings.screens}: ${settings.nurses} nurses over ${settings.careTeams} care teams, ${settings.admins} admins; ${settings.patients} patients
  load           ${settings.rate} alerts/s open loop for ${settings.duration} s after a ${settings.warmup} s warm-up (left out of the latency figures)
  published      ${n(sent.length)} records, ${achievedRate.toFixed(1)}/s achieved; ${failed} failed; send lag ${line(stage.publishLag)}
                 produce ack (acks=all)   ${line(stage.produceAck)}
  deliveries     expected ${n(deliveries.expected)}, delivered ${n(deliveries.delivered)}, missing ${n(deliveries.missing)}, duplicated ${n(deliveries.duplicated)}; drained ${ms(drainedInMs)} after the last send
                 ${n(ledger.unexpectedEvents)} unexpected events of the run's patients ${JSON.stringify(ledger.unexpectedByType)}; ${n(ledger.foreignEventsToAdmins)} events of other runs' patients seen by admins${closedEarly.length ? `; ${closedEarly.length} streams closed early` : ''}
  PUSH LATENCY   ${line(latency)}   (scheduled send -> event parsed on the screen; ${n(latency.n)} deliveries)
  where it goes (per alert, first screen to show it):
    scheduled send -> care-api applies it (Kafka, consumer, in the transaction)  ${line(stage.scheduledToApplied)}
    applied -> first screen (rest of the transaction, commit, sequencer + poll, SSE write)  ${line(stage.appliedToFirstScreen)}
    first -> last screen of the alert (fan-out spread)  ${line(stage.firstToLastScreen)}
  sequencer      at most ${n(sequencer.maxUnsequenced)} committed events waiting for a number; oldest transaction with an id in the cluster ${sequencer.oldestWriter ? `${ms(sequencer.oldestWriter.ageMs)} (database ${sequencer.oldestWriter.database}${sequencer.oldestWriter.application ? `, ${sequencer.oldestWriter.application}` : ''})` : 'none seen'}
  care-api       CPU ${c.careApi.toFixed(2)} cores on average (peak ${resources.careApiPeakCores1s.toFixed(2)} over a second); RSS ${resources.careApiRssMiB.start.toFixed(0)} -> ${resources.careApiRssMiB.end.toFixed(0)} MiB (peak ${resources.careApiRssMiB.peak.toFixed(0)}, VmHWM ${resources.careApiRssMiB.hwm.toFixed(0)})
  machine        ${c.machine.toFixed(2)} of ${resources.machineCores} cores busy over ${resources.seconds.toFixed(0)} s: PostgreSQL ${c.postgres.toFixed(2)}, Kafka ${c.kafka.toFixed(2)}, this bench ${c.bench.toFixed(2)}, care-api ${c.careApi.toFixed(2)}, everything else ${Math.max(0, c.machine - c.postgres - c.kafka - c.bench - c.careApi).toFixed(2)}`);
  if (ledger.violations.length > 0) {
    console.log(`\n!!! SCOPING BUG: ${ledger.violations.length} events reached screens not entitled to them, e.g.`);
    for (const v of ledger.violations.slice(0, 10)) console.log(`!!!   ${v.screen} got alert ${v.alertId} of patient ${v.patientId} (care team ${v.careTeam ?? 'not of this run'})`);
  } else console.log('  scoping       no event reached a screen not entitled to it');
  if (deliveries.missing > 0 || deliveries.duplicated > 0) {
    console.log(`\n!!! ${n(deliveries.missing)} deliveries missing and ${n(deliveries.duplicated)} duplicated (the sequencer line above says whether an old transaction held the stream back)`);
    console.log(`!!!   missing by screen (first 10): ${JSON.stringify(Object.fromEntries(Object.entries(deliveries.missingByScreen).slice(0, 10)))}`);
  }

  const dir = join('.data', 'bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `worklist-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const { missingByScreen, ...counts } = deliveries;
  writeFileSync(
    path,
    JSON.stringify(
      {
        bench: 'worklist',
        at: new Date().toISOString(),
        settings,
        pushLatencyMs: latency,
        published: { records: sent.length, failed, achievedRatePerSecond: achievedRate, sendLagMs: stage.publishLag, produceAckMs: stage.produceAck },
        deliveries: { ...counts, missingByScreen, unexpectedEvents: ledger.unexpectedEvents, unexpectedByType: ledger.unexpectedByType, foreignEventsToAdmins: ledger.foreignEventsToAdmins, closedEarly, drainedInMs },
        scopingViolations: ledger.violations,
        stagesMs: stage,
        sequencer,
        resources,
        timeline: timeline(ledger),
      },
      null,
      2,
    ) + '\n',
  );
  return path;
}
