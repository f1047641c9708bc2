import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertEvidenceEntity } from '../../alerts/alert-evidence.entity';
import { AlertEntity } from '../../alerts/alert.entity';
import type { CareApiConfig } from '../../config/care-api.config';
import { DeviceEntity } from '../../devices/device.entity';
import { VitalsStoreClient } from '../../observations/vitals-store.client';
import { PatientEntity } from '../../patients/patient.entity';
import { FhirObservationsService } from '../fhir-observations.service';
import { FhirRecordsService } from '../fhir-records.service';
import { AlertEventsPushConsumer, ObservationsPushConsumer } from './ehr-push.consumers';
import { EhrPushSources } from './ehr-push-sources';
import { EhrPusher } from './ehr-pusher';

/**
 * The EHR push (ADR 0012): nothing at all unless EHR_FHIR_BASE_URL is set; then the alert-events
 * consumer, and with EHR_PUSH_OBSERVATIONS=all the observations consumer too.
 */
@Module({})
export class EhrPushModule {
  static register(config: CareApiConfig): DynamicModule {
    if (!config.EHR_FHIR_BASE_URL) return { module: EhrPushModule };
    const providers: Provider[] = [VitalsStoreClient, FhirRecordsService, FhirObservationsService, EhrPushSources, EhrPusher, AlertEventsPushConsumer];
    if (config.EHR_PUSH_OBSERVATIONS === 'all') providers.push(ObservationsPushConsumer);
    return {
      module: EhrPushModule,
      imports: [TypeOrmModule.forFeature([PatientEntity, DeviceEntity, AlertEntity, AlertEvidenceEntity])],
      providers,
    };
  }
}
