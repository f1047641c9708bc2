export * from './client';
export * from './producer';
export * from './consumer';
export * from './table';
export * from './admin';
export * from './kafka.module';
export * from './kafka-env';
export * from './topic-consumer';
