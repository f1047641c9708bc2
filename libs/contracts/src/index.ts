export * from './programs';
export * from './device-payload';
export * from './observation';
export * from './dead-letter';
export * from './registry';
export * from './alert';
export * from './topics';
export * from './api';
