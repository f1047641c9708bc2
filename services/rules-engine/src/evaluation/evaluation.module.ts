import { Module } from '@nestjs/common';
import { PatientProtocols } from '../protocols/patient-protocols';
import { EvaluationService } from './evaluation.service';
import { ObservationConsumer } from './observation.consumer';

@Module({
  providers: [PatientProtocols, EvaluationService, ObservationConsumer],
  exports: [PatientProtocols, ObservationConsumer],
})
export class EvaluationModule {}
