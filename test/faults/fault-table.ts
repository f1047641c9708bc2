import type { FaultResult } from './fault-suite';

/** The printed table of a fault run: fault, acknowledged, stored, lost, duplicated, recovery. */
export function formatTable(results: FaultResult[]): string {
  const head = ['fault', 'down s', 'acked', 'stored', 'lost', 'dup', 'alerts due/deliv/dup', 'recovery s (store/alert)', 'drained s', 'notes'];
  const rows = results.map((r) => [
    r.fault,
    r.downSeconds.toFixed(1),
    String(r.acknowledged),
    String(r.stored),
    String(r.lost),
    String(r.duplicated),
    `${r.alertsDue}/${r.alertsDelivered}/${r.alertsDuplicated}`,
    `${r.storeRecoverySeconds ?? '-'} / ${r.alertRecoverySeconds ?? '-'}`,
    String(r.drainedSeconds ?? '-'),
    r.notes.join('; '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}
