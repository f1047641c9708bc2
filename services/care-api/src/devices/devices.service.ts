import { ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { deviceReadingsTopic, type DeviceRegistrationResponse, type RegisterDeviceRequest } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { PatientEntity } from '../patients/patient.entity';
import { DeviceBindings } from './device-bindings';
import { generateDevicePassword, hashPassword } from './device-credentials';
import { DeviceEntity } from './device.entity';
import { MqttDynsecClient, type DynsecCommand, type DynsecResponse } from './mqtt-dynsec.client';

export const deviceRoleName = (deviceId: string): string => `device-${deviceId}`;

@Injectable()
export class DevicesService {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @Inject(CARE_API_CONFIG) private readonly config: CareApiConfig,
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    private readonly dynsec: MqttDynsecClient,
    private readonly bindings: DeviceBindings,
  ) {}

  /**
   * Registers a device in one transaction: the row (its primary key serialises concurrent
   * registrations of one id), the broker identity (a client whose only right is publishing
   * to its own readings topic), and its first binding, which the ingest gateway reads. If any step
   * fails, the row is rolled back and the broker identity removed, so a retry starts clean.
   */
  async register(request: RegisterDeviceRequest, actor: string): Promise<DeviceRegistrationResponse> {
    if (!(await this.patients.existsBy({ id: request.patientId }))) throw new NotFoundException(`no patient ${request.patientId}`);
    const password = generateDevicePassword();
    const topic = deviceReadingsTopic(request.deviceId);
    const role = deviceRoleName(request.deviceId);
    const passwordHash = await hashPassword(password);
    // What this registration created on the broker, so a failure removes exactly that.
    const created = { role: false, client: false };
    try {
      await this.db.transaction(async (tx) => {
        try {
          await tx.insert(DeviceEntity, { deviceId: request.deviceId, patientId: request.patientId, kind: request.kind, passwordHash });
        } catch (error) {
          if ((error as { code?: string }).code === '23505') throw new ConflictException(`device ${request.deviceId} is registered`);
          throw error;
        }
        const identity: DynsecCommand[] = [
          { command: 'createRole', rolename: role, acls: [{ acltype: 'publishClientSend', topic, priority: 0, allow: true }] },
          { command: 'createClient', username: request.deviceId, password, roles: [{ rolename: role, priority: 0 }] },
        ];
        const [roleAnswer, clientAnswer] = await this.broker(identity, false);
        created.role = !roleAnswer?.error;
        created.client = !clientAnswer?.error;
        if (!created.client) {
          // A leftover of an earlier, rolled-back attempt (the row above proves no live device
          // owns it) is replaced; any other client of that name is not ours to delete.
          if (!(await this.isLeftoverDeviceIdentity(request.deviceId, role))) {
            throw new ConflictException(`the broker already has a client named ${request.deviceId}`);
          }
          await this.broker([{ command: 'deleteClient', username: request.deviceId }, { command: 'deleteRole', rolename: role }], false);
          await this.broker(identity, true);
          created.role = created.client = true;
        }
        await this.bindings.first(tx, request, actor);
      });
    } catch (error) {
      const undo: DynsecCommand[] = [
        ...(created.client ? [{ command: 'deleteClient', username: request.deviceId }] : []),
        ...(created.role ? [{ command: 'deleteRole', rolename: role }] : []),
      ];
      if (undo.length > 0) await this.broker(undo, false).catch(() => undefined);
      throw error;
    }
    this.log.info('device registered', { deviceId: request.deviceId, patientId: request.patientId });
    return {
      deviceId: request.deviceId,
      patientId: request.patientId,
      kind: request.kind,
      mqtt: { url: this.config.MQTT_PUBLIC_URL ?? this.config.MQTT_URL, username: request.deviceId, password, topic },
    };
  }

  /**
   * A new password, returned once: the broker client is disabled (which kicks a connected session),
   * given the new password and enabled again, so the old password stops working at once.
   */
  async rotatePassword(deviceId: string, actor: string): Promise<DeviceRegistrationResponse> {
    const password = generateDevicePassword();
    const passwordHash = await hashPassword(password);
    const device = await this.db.transaction(async (tx) => {
      const found = await tx.findOne(DeviceEntity, { where: { deviceId }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw new NotFoundException(`no device ${deviceId}`);
      if (found.revokedAt) throw new ConflictException(`device ${deviceId} is revoked`);
      await tx.update(DeviceEntity, { deviceId }, { passwordHash, passwordRotatedAt: new Date() });
      await this.broker(
        [
          { command: 'disableClient', username: deviceId },
          { command: 'setClientPassword', username: deviceId, password },
          { command: 'enableClient', username: deviceId },
        ],
        true,
      );
      return found;
    });
    this.log.info('device password rotated', { deviceId, actor });
    const topic = deviceReadingsTopic(deviceId);
    return { deviceId, patientId: device.patientId, kind: device.kind, mqtt: { url: this.config.MQTT_PUBLIC_URL ?? this.config.MQTT_URL, username: deviceId, password, topic } };
  }

  /** For good: the broker disconnects the device and refuses it from then on, password or certificate. Its data and bindings stay. */
  async revoke(deviceId: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const found = await tx.findOne(DeviceEntity, { where: { deviceId }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw new NotFoundException(`no device ${deviceId}`);
      if (found.revokedAt) throw new ConflictException(`device ${deviceId} was revoked at ${found.revokedAt.toISOString()}`);
      await tx.update(DeviceEntity, { deviceId }, { revokedAt: new Date(), revokedBy: actor });
      // disableClient kicks the session and refuses the password; on the client-certificate listener
      // Mosquitto skips that check (eclipse-mosquitto#2999), so the role that lets it publish goes too.
      // Not deleteRole while a client holds it: 2.0.11 crashes at that client's next publish (#2660).
      await this.broker(
        [
          { command: 'disableClient', username: deviceId },
          { command: 'removeClientRole', username: deviceId, rolename: deviceRoleName(deviceId) },
        ],
        true,
      );
    });
    this.log.info('device revoked', { deviceId, actor });
  }

  /** A broker client that carries exactly this device's role and nothing else. */
  private async isLeftoverDeviceIdentity(deviceId: string, role: string): Promise<boolean> {
    const [response] = await this.dynsec.execute([{ command: 'getClient', username: deviceId }]);
    const roles = (response?.data as { client?: { roles?: { rolename: string }[] } } | undefined)?.client?.roles ?? [];
    return !response?.error && roles.length === 1 && roles[0]?.rolename === role;
  }

  /** Runs dynamic-security commands and returns their answers; with `strict`, a refusal is an error. */
  private async broker(commands: DynsecCommand[], strict: boolean): Promise<DynsecResponse[]> {
    const responses = await this.dynsec.execute(commands).catch((error: unknown) => {
      this.log.error('broker did not answer a dynamic-security command', { error: String(error) });
      throw new ServiceUnavailableException('the MQTT broker did not confirm the device credentials');
    });
    const failed = responses.find((r) => r.error);
    if (strict && failed) {
      this.log.error('dynamic-security refused a command', { command: failed.command, error: failed.error });
      throw new ServiceUnavailableException(`the MQTT broker refused ${failed.command}`);
    }
    return responses;
  }
}
