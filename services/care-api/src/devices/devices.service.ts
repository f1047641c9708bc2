import { ConflictException, Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { deviceReadingsTopic, type DeviceRegistrationResponse, type RegisterDeviceRequest } from '@rpm/contracts';
import { JsonLogger } from '@rpm/service-kit';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';
import { EventPublisher } from '../messaging/event.publisher';
import { PatientEntity } from '../patients/patient.entity';
import { generateDevicePassword, hashPassword } from './device-credentials';
import { DeviceEntity } from './device.entity';
import { MqttDynsecClient } from './mqtt-dynsec.client';

export const deviceRoleName = (deviceId: string): string => `device-${deviceId}`;

@Injectable()
export class DevicesService {
  private readonly log = new JsonLogger('care-api');

  constructor(
    @Inject(CARE_API_CONFIG) private readonly config: CareApiConfig,
    @InjectRepository(DeviceEntity) private readonly devices: Repository<DeviceEntity>,
    @InjectRepository(PatientEntity) private readonly patients: Repository<PatientEntity>,
    private readonly dynsec: MqttDynsecClient,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Creates the device's broker identity (a client whose only right is publishing to its
   * own readings topic), stores it, and publishes the binding the ingest gateway reads.
   */
  async register(request: RegisterDeviceRequest): Promise<DeviceRegistrationResponse> {
    if (!(await this.patients.existsBy({ id: request.patientId }))) throw new NotFoundException(`no patient ${request.patientId}`);
    if (await this.devices.existsBy({ deviceId: request.deviceId })) throw new ConflictException(`device ${request.deviceId} is registered`);
    const password = generateDevicePassword();
    const topic = deviceReadingsTopic(request.deviceId);
    const role = deviceRoleName(request.deviceId);
    const responses = await this.dynsec
      .execute([
        { command: 'createRole', rolename: role, acls: [{ acltype: 'publishClientSend', topic, priority: 0, allow: true }] },
        { command: 'createClient', username: request.deviceId, password, roles: [{ rolename: role, priority: 0 }] },
      ])
      .catch((error: unknown) => {
        this.log.error('device broker identity not created', { deviceId: request.deviceId, error: String(error) });
        throw new ServiceUnavailableException('the MQTT broker did not confirm the device credentials');
      });
    const failed = responses.find((r) => r.error);
    if (failed) {
      this.log.error('dynamic-security refused a command', { deviceId: request.deviceId, command: failed.command, error: failed.error });
      throw new ConflictException(`the broker refused ${failed.command}: ${failed.error}`);
    }
    const device = this.devices.create({
      deviceId: request.deviceId,
      patientId: request.patientId,
      kind: request.kind,
      passwordHash: await hashPassword(password),
    });
    await this.devices.insert(device);
    await this.events.publishBinding({
      schema: 'rpm.device-binding.v1',
      deviceId: request.deviceId,
      patientId: request.patientId,
      kind: request.kind,
      boundAt: new Date().toISOString(),
    });
    this.log.info('device registered', { deviceId: request.deviceId, patientId: request.patientId });
    return {
      deviceId: request.deviceId,
      patientId: request.patientId,
      kind: request.kind,
      mqtt: { url: this.config.MQTT_PUBLIC_URL ?? this.config.MQTT_URL, username: request.deviceId, password, topic },
    };
  }
}
