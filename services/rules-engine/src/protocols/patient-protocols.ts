import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, type PatientProtocolV1 } from '@rpm/contracts';
import type { PatientContext } from '@rpm/clinical-rules';
import { CompactedTable, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';

/** patient -> programmes and SpO2 scale, from the compacted rpm.rules.config.v1 topic. */
@Injectable()
export class PatientProtocols implements OnModuleInit {
  private readonly log = new JsonLogger('rules-engine');
  private readonly table: CompactedTable<typeof Topics.rulesConfig.schema>;
  private readonly waitedFor = new Set<string>();

  constructor(@Inject(KAFKA) kafka: Kafka, private readonly lifecycle: KafkaLifecycle) {
    this.table = new CompactedTable(kafka, Topics.rulesConfig, 'rules-engine', this.log);
  }

  async onModuleInit(): Promise<void> {
    await this.table.start();
    this.lifecycle.onStop(() => this.table.stop());
  }

  get ready(): boolean {
    return this.table.isCaughtUp;
  }

  /**
   * The patient's context. A protocol written a moment ago is waited for; a patient with
   * none at all is judged by the rules for everyone (no programme rules), and logged.
   */
  async contextOf(patientId: string): Promise<PatientContext> {
    let protocol: PatientProtocolV1 | undefined = this.table.get(patientId);
    if (!protocol && !this.waitedFor.has(patientId)) {
      // A lagging table is no verdict: throw, and the batch is retried (a COPD patient must
      // not be judged by the scale-1 rules because the protocol was a moment late).
      if (!(await this.table.waitForLatest())) throw new Error('patient protocols are not caught up');
      // Once per patient: a backlog of a protocol-less patient must not cost a round trip per reading.
      if (this.waitedFor.size > 100_000) this.waitedFor.clear();
      this.waitedFor.add(patientId);
      protocol = this.table.get(patientId);
    }
    if (!protocol) {
      this.log.warn('no protocol for patient; evaluating the all-population rules only', { patientId });
      return { patientId, programs: [], spo2Scale: 1 };
    }
    return { patientId, programs: protocol.programs, spo2Scale: protocol.spo2Scale };
  }
}
