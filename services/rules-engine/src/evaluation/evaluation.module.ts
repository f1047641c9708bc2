import { Module, type Provider } from '@nestjs/common';
import { Clock, ManualClock, SystemClock } from '../clock/clock';
import { TestClockController } from '../clock/test-clock.controller';
import { loadRulesEngineConfig } from '../config/rules-engine.config';
import { PatientProtocols } from '../protocols/patient-protocols';
import { SilenceMonitor } from '../silence/silence-monitor';
import { PatientStateStore } from '../state/patient-state.store';
import { EvaluationService } from './evaluation.service';
import { ObservationConsumer } from './observation.consumer';

const manualClock = loadRulesEngineConfig().RULES_ENGINE_MANUAL_CLOCK;
const clock: Provider = { provide: Clock, useValue: manualClock ? new ManualClock() : new SystemClock() };

@Module({
  controllers: manualClock ? [TestClockController] : [],
  providers: [clock, PatientProtocols, PatientStateStore, EvaluationService, ObservationConsumer, SilenceMonitor],
  exports: [PatientProtocols, PatientStateStore, ObservationConsumer],
})
export class EvaluationModule {}
