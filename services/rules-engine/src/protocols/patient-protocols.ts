import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Topics, programmeProtocolKey, type PatientProtocolV1, type ProtocolName } from '@rpm/contracts';
import { resolveProtocol, type EffectiveProtocol, type ProgrammeVersions } from '@rpm/clinical-rules';
import { CompactedTable, KAFKA, KafkaLifecycle, type Kafka } from '@rpm/kafka';
import { JsonLogger } from '@rpm/service-kit';

/**
 * patient -> effective protocol (programmes, scale, overrides, and the published versions of
 * the programme protocols), from the compacted rpm.rules.config.v1 topic. A new version of
 * either published there applies to the next batch (catchUp): a patient's resolved protocol
 * is kept until its record or one of its programmes' versions changes.
 */
@Injectable()
export class PatientProtocols implements OnModuleInit {
  private readonly log = new JsonLogger('rules-engine');
  private readonly table: CompactedTable<typeof Topics.rulesConfig.schema>;
  /** Resolved protocols shared by every patient with the same settings; per patient, the one in use. */
  private readonly byContent = new Map<string, EffectiveProtocol>();
  private readonly byPatient = new Map<string, { record: PatientProtocolV1 | null; programmes: string; effective: EffectiveProtocol }>();

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
   * Reads the protocol topic up to its current end: every protocol published before this call
   * (a patient registered or an override saved a moment ago) applies to the batch evaluated
   * next. One offsets round trip per batch. A lagging table is no verdict: throw, and the batch
   * is retried (a COPD patient must not be judged on scale 1 because its protocol was late).
   */
  async catchUp(): Promise<void> {
    if (!(await this.table.waitForLatest())) throw new Error('patient protocols are not caught up');
  }

  /** The patient's effective protocol; a patient with none is judged by the general protocol, and logged. */
  protocolOf(patientId: string): EffectiveProtocol {
    const protocol = this.patientRecord(patientId);
    return protocol ? this.resolve(protocol) : this.withoutProtocol(patientId);
  }

  /** Protocols known here, for the AD-01 sweep (which needs no waiting). */
  knownProtocolOf(patientId: string): EffectiveProtocol | undefined {
    const protocol = this.patientRecord(patientId);
    return protocol ? this.resolve(protocol) : undefined;
  }

  private patientRecord(patientId: string): PatientProtocolV1 | undefined {
    const record = this.table.get(patientId);
    return record?.schema === 'rpm.patient-protocol.v1' ? record : undefined;
  }

  /** The published versions of these protocols (absent: the library's version 1), and a key naming them. */
  private programmeVersions(names: readonly ProtocolName[]): { versions: ProgrammeVersions; key: string } {
    const versions: Partial<Record<ProtocolName, { version: number; settings: PatientProtocolV1['overrides'] }>> = {};
    for (const name of names) {
      const record = this.table.get(programmeProtocolKey(name));
      if (record?.schema === 'rpm.programme-protocol.v1') versions[name] = { version: record.version, settings: record.settings };
    }
    return { versions, key: names.map((n) => `${n}@${versions[n]?.version ?? 1}`).join(',') };
  }

  private resolve(protocol: PatientProtocolV1): EffectiveProtocol {
    const { versions, key } = this.programmeVersions(['general', ...protocol.programs]);
    const current = this.byPatient.get(protocol.patientId);
    if (current?.record === protocol && current.programmes === key) return current.effective;
    const { programs, spo2Scale, timezone, version, overrides } = protocol;
    const content = JSON.stringify([programs, spo2Scale, timezone, version, overrides, key]);
    let effective = this.byContent.get(content);
    if (!effective) {
      effective = resolveProtocol({ ...protocol, programmeVersions: versions });
      for (const issue of effective.issues) {
        // care-api validates before publishing; a record that still fails is logged and the setting left out.
        // Ids and the setting's path only: the message quotes the patient's values.
        this.log.warn('protocol setting ignored', { patientId: protocol.patientId, version, path: issue.path });
      }
      this.byContent.set(content, effective);
    }
    this.byPatient.set(protocol.patientId, { record: protocol, programmes: key, effective });
    return effective;
  }

  /** The general protocol (as published) on scale 1, local days in UTC; logged once per patient. */
  private withoutProtocol(patientId: string): EffectiveProtocol {
    const { versions, key } = this.programmeVersions(['general']);
    const current = this.byPatient.get(patientId);
    if (current && current.record === null && current.programmes === key) return current.effective;
    if (!current) this.log.warn('no protocol for patient; evaluating the general protocol only', { patientId });
    const content = `general-only|${key}`;
    const effective = this.byContent.get(content) ?? resolveProtocol({ programs: [], spo2Scale: 1, timezone: 'UTC', version: 1, programmeVersions: versions });
    this.byContent.set(content, effective);
    this.byPatient.set(patientId, { record: null, programmes: key, effective });
    return effective;
  }
}
