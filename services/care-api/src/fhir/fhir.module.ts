import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertEvidenceEntity } from '../alerts/alert-evidence.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { DeviceEntity } from '../devices/device.entity';
import { VitalsStoreClient } from '../observations/vitals-store.client';
import { PatientEntity } from '../patients/patient.entity';
import { FhirMetadataController } from './fhir-metadata.controller';
import { FhirObservationsService } from './fhir-observations.service';
import { FhirRecordsService } from './fhir-records.service';
import { FhirController } from './fhir.controller';

/** The read-only FHIR R4 API under /fhir/R4 (docs/fhir.md). Reads the registry and worklist tables; writes nothing. */
@Module({
  imports: [TypeOrmModule.forFeature([PatientEntity, DeviceEntity, AlertEntity, AlertEvidenceEntity])],
  // The metadata route first: Express matches in registration order, and it is the only public one.
  controllers: [FhirMetadataController, FhirController],
  providers: [FhirRecordsService, FhirObservationsService, VitalsStoreClient],
})
export class FhirModule {}
