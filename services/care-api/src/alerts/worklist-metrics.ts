import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ADHERENCE_RULE_PREFIXES } from '@rpm/contracts';
import { gauge } from '@rpm/service-kit';

type OpenCounts = () => Promise<{ severity: string; queue: string; n: number }[]>;
let countOpen: OpenCounts | null = null;

/** Read at each scrape: the worklist as the database holds it, whichever instance changed it. */
gauge('rpm_worklist_open_alerts', 'Alerts not yet resolved, by severity and queue (snoozed ones included)', ['severity', 'queue'], async (g) => {
  if (!countOpen) return;
  const rows = await countOpen();
  g.reset();
  for (const r of rows) g.set({ severity: r.severity, queue: r.queue }, r.n);
});

/** Gives the open-alerts gauge its database while the module lives. */
@Injectable()
export class WorklistMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    countOpen = async () =>
      (await this.db.query(
        `SELECT severity, CASE WHEN rule_id LIKE ANY($1::text[]) THEN 'adherence' ELSE 'clinical' END AS queue, count(*)::int AS n
           FROM alerts WHERE status <> 'resolved' GROUP BY 1, 2`,
        [ADHERENCE_RULE_PREFIXES.map((p) => `${p}%`)],
      )) as { severity: string; queue: string; n: number }[];
  }

  onModuleDestroy(): void {
    countOpen = null;
  }
}
