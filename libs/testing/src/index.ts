export * from './poll-until';
export * from './service-process';
export * from './api-client';
export * from './device-client';
