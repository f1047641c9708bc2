import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AuditEntry } from '../audit/audit-entry.entity';
import { AlertEvidenceEntity } from '../alerts/alert-evidence.entity';
import { AlertEntity } from '../alerts/alert.entity';
import { DeviceEntity } from '../devices/device.entity';
import { PatientEntity } from '../patients/patient.entity';
import { PatientProtocolVersionEntity } from '../patients/patient-protocol-version.entity';
import { ProtocolVersionEntity } from '../protocols/protocol-version.entity';
import { BacktestEntity } from '../protocols/backtest.entity';
import { CreateCareTables1764230500000 } from './migrations/1764230500000-CreateCareTables';
import { AlertEventOutbox1764316900000 } from './migrations/1764316900000-AlertEventOutbox';
import { ExplainedAlertsAndOverrides1764400000000 } from './migrations/1764400000000-ExplainedAlertsAndOverrides';
import { EvidenceOriginalUnits1764400100000 } from './migrations/1764400100000-EvidenceOriginalUnits';
import { AlertEpisode1764400200000 } from './migrations/1764400200000-AlertEpisode';
import { ProtocolVersions1764400300000 } from './migrations/1764400300000-ProtocolVersions';
import { Backtests1764400400000 } from './migrations/1764400400000-Backtests';
import { PatientProtocolVersions1764400500000 } from './migrations/1764400500000-PatientProtocolVersions';
import { AlertStream1764400600000 } from './migrations/1764400600000-AlertStream';
import { AlertStreamSequence1764400700000 } from './migrations/1764400700000-AlertStreamSequence';
import { WorklistLifecycle1764400800000 } from './migrations/1764400800000-WorklistLifecycle';
import { BacktestJobs1764400900000 } from './migrations/1764400900000-BacktestJobs';
import { DeviceBindingsAndDeadLetters1764401100000 } from './migrations/1764401100000-DeviceBindingsAndDeadLetters';
import { DeviceStatus1764401200000 } from './migrations/1764401200000-DeviceStatus';
import { DeadLetterIdentity1764401300000 } from './migrations/1764401300000-DeadLetterIdentity';
import { DropDeviceDriftStreak1764401400000 } from './migrations/1764401400000-DropDeviceDriftStreak';

export function careApiDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations_care_api',
    migrations: [CreateCareTables1764230500000, AlertEventOutbox1764316900000, ExplainedAlertsAndOverrides1764400000000, EvidenceOriginalUnits1764400100000, AlertEpisode1764400200000, ProtocolVersions1764400300000, Backtests1764400400000, PatientProtocolVersions1764400500000, AlertStream1764400600000, AlertStreamSequence1764400700000, WorklistLifecycle1764400800000, BacktestJobs1764400900000, DeviceBindingsAndDeadLetters1764401100000, DeviceStatus1764401200000, DeadLetterIdentity1764401300000, DropDeviceDriftStreak1764401400000],
    entities: [PatientEntity, DeviceEntity, AlertEntity, AlertEvidenceEntity, AuditEntry, ProtocolVersionEntity, BacktestEntity, PatientProtocolVersionEntity],
    extra: { max: 10, application_name: 'care-api' },
  };
}

export const createCareApiDataSource = (url: string): DataSource => new DataSource(careApiDataSourceOptions(url));
