import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics } from '@rpm/contracts';
import { CompactedTable, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';
import { bindingAt, type BindingVerdict } from '@rpm/vitals';

/** device -> binding history, from the compacted registry topic that care-api writes. */
@Injectable()
export class DeviceRegistry implements OnModuleInit {
  private readonly table: CompactedTable<typeof Topics.deviceRegistry.schema>;

  constructor(@Inject(KAFKA) kafka: Kafka, private readonly lifecycle: KafkaLifecycle) {
    this.table = new CompactedTable(kafka, Topics.deviceRegistry, 'ingest-gateway', new JsonLogger('ingest-gateway'));
  }

  async onModuleInit(): Promise<void> {
    await this.table.start();
    this.lifecycle.onStop(() => this.table.stop());
  }

  get ready(): boolean {
    return this.table.isCaughtUp;
  }

  /** The patient bound to the device when the reading was measured. */
  bindingAt(deviceId: string, measuredAt: Date): BindingVerdict {
    return bindingAt(this.table.get(deviceId), measuredAt);
  }

  /** Catches up with bindings written a moment ago before a device is judged unbound. */
  waitForLatest(): Promise<boolean> {
    return this.table.waitForLatest();
  }
}
