import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { BindDeviceRequest, DeviceBindingV1, DeviceListQuery, DeviceResponse, UnbindDeviceRequest } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import { EventPublisher } from '../messaging/event.publisher';
import { PatientEntity } from '../patients/patient.entity';
import { DeviceEntity } from './device.entity';

interface BindingRow {
  patient_id: string;
  valid_from: Date | null;
  valid_to: Date | null;
  created_by: string;
  created_at: Date;
}

/** A move may be dated a little ahead (clocks differ), not scheduled for later. */
const MAX_FUTURE_MS = 5 * 60_000;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A device's binding history (issue 7, section 3): which patient it reported for when. A loaner
 * moves from one patient to another at an instant: the old binding ends there and the new one
 * starts there, so a late batch measured before the move still lands on the old patient. A device
 * returned to stock is bound to nobody; its readings are quarantined. Every change is published to
 * the registry topic (the whole history) in the transaction that makes it.
 */
@Injectable()
export class DeviceBindings {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /** The first binding of a newly registered device: from before any reading (nobody else's readings can be in it). */
  async first(tx: EntityManager, device: Pick<DeviceEntity, 'deviceId' | 'patientId' | 'kind'>, actor: string): Promise<void> {
    await tx.query(`INSERT INTO device_bindings (device_id, patient_id, valid_from, valid_to, created_by) VALUES ($1, $2, NULL, NULL, $3)`, [
      device.deviceId,
      device.patientId,
      actor,
    ]);
    await this.publish(tx, device);
  }

  async get(deviceId: string): Promise<DeviceResponse> {
    const device = await this.db.manager.findOneBy(DeviceEntity, { deviceId });
    if (!device) throw new NotFoundException(`no device ${deviceId}`);
    return this.toResponse(device, await this.history(this.db.manager, deviceId), await this.status(deviceId));
  }

  /** Devices with their bindings and what the gateway last heard (last seen, battery, firmware). */
  async list(query: DeviceListQuery): Promise<DeviceResponse[]> {
    const rows = (await this.db.query(
      `SELECT d.device_id FROM devices d
        WHERE $1::uuid IS NULL OR EXISTS (SELECT 1 FROM device_bindings b WHERE b.device_id = d.device_id AND b.patient_id = $1 AND b.valid_to IS NULL)
        ORDER BY d.created_at DESC LIMIT $2`,
      [query.patientId ?? null, query.limit],
    )) as { device_id: string }[];
    return Promise.all(rows.map((r) => this.get(r.device_id)));
  }

  private async status(deviceId: string): Promise<DeviceResponse['status']> {
    const [row] = (await this.db.query(`SELECT last_seen_at, clock_offset_ms, battery_percent, signal_dbm, firmware FROM device_status WHERE device_id = $1`, [deviceId])) as {
      last_seen_at: Date;
      clock_offset_ms: string;
      battery_percent: number | null;
      signal_dbm: number | null;
      firmware: string | null;
    }[];
    return row
      ? { lastSeenAt: row.last_seen_at.toISOString(), clockOffsetMs: Number(row.clock_offset_ms), batteryPercent: row.battery_percent, signalDbm: row.signal_dbm, firmware: row.firmware }
      : null;
  }

  /** Binds the device to a patient from `from` (default now), ending the binding in force there. */
  async bind(deviceId: string, request: BindDeviceRequest, actor: string): Promise<DeviceResponse> {
    const from = request.from ? new Date(request.from) : new Date();
    this.refuseFuture('from', from);
    return this.change(deviceId, async (tx, device, history) => {
      if (!(await tx.existsBy(PatientEntity, { id: request.patientId }))) throw new NotFoundException(`no patient ${request.patientId}`);
      const open = history.find((b) => b.valid_to === null);
      const last = history[history.length - 1];
      if (open?.patient_id === request.patientId) throw new ConflictException(`device ${deviceId} is bound to this patient already`);
      if (open && open.valid_from && from <= open.valid_from) {
        throw new ConflictException(`the binding in force started at ${open.valid_from.toISOString()}: a move must come after it`);
      }
      if (!open && last?.valid_to && from < last.valid_to) {
        throw new ConflictException(`the device was bound until ${last.valid_to.toISOString()}: a new binding cannot start before`);
      }
      if (open) await tx.query(`UPDATE device_bindings SET valid_to = $2 WHERE device_id = $1 AND valid_to IS NULL`, [deviceId, from]);
      await tx.query(`INSERT INTO device_bindings (device_id, patient_id, valid_from, valid_to, created_by) VALUES ($1, $2, $3, NULL, $4)`, [
        deviceId,
        request.patientId,
        from,
        actor,
      ]);
      await tx.update(DeviceEntity, { deviceId }, { patientId: request.patientId });
      this.log.info('device bound', { deviceId, patientId: request.patientId, previousPatientId: open?.patient_id ?? null });
      return { ...device, patientId: request.patientId };
    });
  }

  /** Ends the binding in force at `at` (default now): the device reports for nobody. */
  async unbind(deviceId: string, request: UnbindDeviceRequest, actor: string): Promise<DeviceResponse> {
    const at = request.at ? new Date(request.at) : new Date();
    this.refuseFuture('at', at);
    return this.change(deviceId, async (tx, device, history) => {
      const open = history.find((b) => b.valid_to === null);
      if (!open) throw new ConflictException(`device ${deviceId} is bound to nobody`);
      if (open.valid_from && at <= open.valid_from) throw new ConflictException(`the binding in force started at ${open.valid_from.toISOString()}`);
      await tx.query(`UPDATE device_bindings SET valid_to = $2 WHERE device_id = $1 AND valid_to IS NULL`, [deviceId, at]);
      this.log.info('device unbound', { deviceId, patientId: open.patient_id, actor });
      return device;
    });
  }

  /** The registry record: the device's whole history, as the ingest gateway resolves it (libs/vitals bindingAt). */
  async record(tx: EntityManager, device: Pick<DeviceEntity, 'deviceId' | 'patientId' | 'kind'>): Promise<DeviceBindingV1> {
    const history = await this.history(tx, device.deviceId);
    return {
      schema: 'rpm.device-binding.v1',
      deviceId: device.deviceId,
      patientId: history[history.length - 1]?.patient_id ?? device.patientId,
      kind: device.kind,
      boundAt: new Date().toISOString(),
      history: history.map((b) => ({ patientId: b.patient_id, from: iso(b.valid_from), to: iso(b.valid_to) })),
    };
  }

  private async publish(tx: EntityManager, device: Pick<DeviceEntity, 'deviceId' | 'patientId' | 'kind'>): Promise<void> {
    await this.events.publishBinding(await this.record(tx, device));
  }

  private refuseFuture(field: string, at: Date): void {
    if (at.getTime() - Date.now() > MAX_FUTURE_MS) {
      const reason = 'must not be in the future: bind when the device changes hands';
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `${field}: ${reason}`, issues: [{ field, reason }] });
    }
  }

  private async change(
    deviceId: string,
    apply: (tx: EntityManager, device: DeviceEntity, history: BindingRow[]) => Promise<DeviceEntity>,
  ): Promise<DeviceResponse> {
    return this.db.transaction(async (tx) => {
      const device = await tx.findOne(DeviceEntity, { where: { deviceId }, lock: { mode: 'pessimistic_write' } });
      if (!device) throw new NotFoundException(`no device ${deviceId}`);
      const changed = await apply(tx, device, await this.history(tx, deviceId));
      await this.publish(tx, changed);
      return this.toResponse(changed, await this.history(tx, deviceId), await this.status(deviceId));
    });
  }

  private history(tx: EntityManager, deviceId: string): Promise<BindingRow[]> {
    return tx.query(`SELECT patient_id, valid_from, valid_to, created_by, created_at FROM device_bindings WHERE device_id = $1 ORDER BY id`, [deviceId]) as Promise<
      BindingRow[]
    >;
  }

  private toResponse(device: DeviceEntity, history: BindingRow[], status: DeviceResponse['status']): DeviceResponse {
    return {
      deviceId: device.deviceId,
      kind: device.kind,
      patientId: history.find((b) => b.valid_to === null)?.patient_id ?? null,
      bindings: history.map((b) => ({ patientId: b.patient_id, from: iso(b.valid_from), to: iso(b.valid_to), createdBy: b.created_by, createdAt: b.created_at.toISOString() })),
      registeredAt: device.createdAt.toISOString(),
      status,
      revokedAt: iso(device.revokedAt),
      passwordRotatedAt: iso(device.passwordRotatedAt),
    };
  }
}
