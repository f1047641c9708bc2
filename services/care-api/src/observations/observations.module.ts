import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { ObservationsController } from './observations.controller';
import { VitalsStoreClient } from './vitals-store.client';

@Module({ imports: [PatientsModule], controllers: [ObservationsController], providers: [VitalsStoreClient] })
export class ObservationsModule {}
