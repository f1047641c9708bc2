import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CreateObservations1764230400000 } from './migrations/1764230400000-CreateObservations';
import { ObservationNaturalKey1764316800000 } from './migrations/1764316800000-ObservationNaturalKey';
import { ObservationRollups1764401000000 } from './migrations/1764401000000-ObservationRollups';
import { ObservationArrivalOrder1764401500000 } from './migrations/1764401500000-ObservationArrivalOrder';
import { ObservationResendProbeIndex1764401600000 } from './migrations/1764401600000-ObservationResendProbeIndex';
import { ResendWalkFunction1764401700000 } from './migrations/1764401700000-ResendWalkFunction';

export function vitalsStoreDataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations_vitals_store',
    migrations: [CreateObservations1764230400000, ObservationNaturalKey1764316800000, ObservationRollups1764401000000, ObservationArrivalOrder1764401500000, ObservationResendProbeIndex1764401600000, ResendWalkFunction1764401700000],
    entities: [],
    extra: { max: 10, application_name: 'vitals-store' },
  };
}

export const createVitalsStoreDataSource = (url: string): DataSource => new DataSource(vitalsStoreDataSourceOptions(url));
